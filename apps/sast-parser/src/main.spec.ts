import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { FIELD, validateFinding } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { lambdaContext, s3Body, workspaceRoot } from '@devsecops/test-support';

const sample = (name: string) => readFileSync(join(workspaceRoot, 'samples/patient-portal', name));
const s3 = mockClient(S3Client);
const context = lambdaContext('sast-parser');

describe('sast-parser Lambda', () => {
  let hub: SecurityHubLocal;
  let handler: (event: unknown, context: Context) => Promise<Record<string, unknown>>;

  beforeAll(async () => {
    hub = await startSecurityHubLocal({ port: 0, throttling: false });
    Object.assign(process.env, { SECURITYHUB_ENDPOINT: hub.endpoint, GATE_FAIL_ON: 'CRITICAL' });
    handler = (await import('./main')).handler as unknown as typeof handler;
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    s3.reset();
    hub.reset();
  });

  const scan = (key: string, extra: Record<string, unknown> = {}) => ({
    repository: 'hospital/patient-portal',
    branch: 'main',
    commit: 'a11ce',
    buildId: 'sast:1',
    report: { bucket: 'reports', key },
    ...extra,
  });

  it.each([
    ['semgrep.sarif', 'semgrep', 3, 2],
    ['phpstan.json', 'phpstan', 4, 4],
    ['sonarqube-issues.json', 'sonarqube', 2, 2],
  ])('detects %s, imports its findings into Security Hub, and names the tool', async (file, tool, total, active) => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(sample(file)) });
    // Act
    const response = await handler(scan(file), context);
    // Assert
    expect(response).toMatchObject({ status: 'ok', tool, total, active, failed: [] });
    const stored = hub.findings();
    expect(stored).toHaveLength(total);
    expect(stored.flatMap((f) => validateFinding(f))).toEqual([]);
    expect(new Set(stored.map((f) => f.ProductFields?.[FIELD.tool]))).toEqual(new Set([tool]));
  });

  it('applies the gate to active findings only (the CRITICAL SARIF result is suppressed)', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(sample('semgrep.sarif')) });
    // Act
    const response = await handler(scan('semgrep.sarif', { failOn: 'HIGH' }), context);
    // Assert
    expect(response.gate).toMatchObject({ failOn: 'HIGH', passed: false, blocking: 1 });
  });

  it('accepts the reference pipeline event for PHPStan with text before the JSON', async () => {
    // Act
    const response = await handler({ messageType: 'CodeScanReport', reportType: 'PHPStan', source_repository: 'portal-admin', report: sample('phpstan.json').toString('utf8') }, context);
    // Assert
    expect(response).toMatchObject({ status: 'ok', tool: 'phpstan', total: 4 });
    expect(hub.findings().some((f) => f.ProductFields?.[FIELD.location]?.startsWith('admin/src/Legacy/Export.php'))).toBe(true);
  });

  it('refuses a Dependency-Check report: that belongs to the SCA function', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(readFileSync(join(workspaceRoot, 'samples/patient-portal/dependency-check-report.json'))) });
    // Act
    const error = await handler(scan('dc.json'), context).catch((e: Error) => e);
    // Assert
    expect(error).toMatchObject({ name: 'InvalidReport' });
    expect((error as Error).message).toMatch(/^s3:\/\/reports\/dc\.json: is not a report format this function reads \(SonarQube, PHPStan, SARIF\)/);
  });
});
