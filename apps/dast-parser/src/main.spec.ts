import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { FIELD, validateFinding } from '@devsecops/asff';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { lambdaContext, s3Body, workspaceRoot } from '@devsecops/test-support';

const report = (build: string) => readFileSync(join(workspaceRoot, 'samples', build, 'zap-report.json'));
const s3 = mockClient(S3Client);
const context = lambdaContext('dast-parser');
const STAGING = 'https://staging.patient-portal.example';

describe('dast-parser Lambda', () => {
  let hub: SecurityHubLocal;
  let handler: (event: unknown, context: Context) => Promise<Record<string, unknown>>;

  beforeAll(async () => {
    hub = await startSecurityHubLocal({ port: 0, throttling: false });
    Object.assign(process.env, { SECURITYHUB_ENDPOINT: hub.endpoint, GATE_FAIL_ON: 'HIGH' });
    handler = (await import('./main')).handler as unknown as typeof handler;
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    s3.reset();
    hub.reset();
  });

  const scan = (key: string, buildId: string) => ({
    tool: 'zap',
    repository: 'hospital/patient-portal',
    branch: 'main',
    commit: 'a11ce',
    buildId,
    target: STAGING,
    report: { bucket: 'reports', key },
  });

  it('imports one finding per alert, with the scanned staging URL in ProductFields', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(report('patient-portal')) });
    // Act
    const response = await handler(scan('zap.json', 'dast:1'), context);
    // Assert
    expect(response).toMatchObject({ status: 'ok', tool: 'zap', total: 4, active: 4, gate: { failOn: 'HIGH', passed: false, blocking: 1 } });
    const stored = hub.findings();
    expect(stored.flatMap((f) => validateFinding(f))).toEqual([]);
    expect(stored.every((f) => f.ProductFields?.[FIELD.target] === STAGING)).toBe(true);
  });

  it('archives exactly the alert that a second scan of the same site no longer reports', async () => {
    // Arrange
    s3.on(GetObjectCommand, { Key: 'before.json' }).resolves({ Body: s3Body(report('patient-portal')) });
    s3.on(GetObjectCommand, { Key: 'after.json' }).resolves({ Body: s3Body(report('patient-portal-fixed')) });
    await handler(scan('before.json', 'dast:1'), context);
    const before = new Map(hub.findings().map((f) => [f.Id, f.Title]));
    // Act
    const response = await handler(scan('after.json', 'dast:2'), context);
    // Assert
    expect(response).toMatchObject({ archived: 1, status: 'ok' });
    const archived = hub.findings().filter((f) => f.RecordState === 'ARCHIVED');
    expect(archived.map((f) => f.Title)).toEqual([expect.stringContaining('Cookie No HttpOnly Flag')]);
    expect(new Set(hub.findings().map((f) => f.Id))).toEqual(new Set(before.keys()));
  });
});
