import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { FIELD, validateFinding } from '@devsecops/asff';
import { reportObjectKey } from '@devsecops/scan-ingest';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { lambdaContext, s3Body as body, workspaceRoot } from '@devsecops/test-support';

const SAMPLE = readFileSync(join(workspaceRoot, 'samples/patient-portal/dependency-check-report.json'));
const FIXED = readFileSync(join(workspaceRoot, 'samples/patient-portal-fixed/dependency-check-report.json'));
const s3 = mockClient(S3Client);

const context = lambdaContext('sca-parser');

describe('sca-parser Lambda', () => {
  let hub: SecurityHubLocal;
  let handler: (event: unknown, context: Context) => Promise<Record<string, unknown>>;

  beforeAll(async () => {
    hub = await startSecurityHubLocal({ port: 0, throttling: false });
    Object.assign(process.env, { SECURITYHUB_ENDPOINT: hub.endpoint, REPORTS_BUCKET: 'reports-bucket', REPORTS_KMS_KEY_ID: 'alias/reports', GATE_FAIL_ON: 'HIGH' });
    handler = (await import('./main')).handler as unknown as typeof handler;
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    s3.reset();
    hub.reset();
  });

  const direct = (report: unknown, extra: Record<string, unknown> = {}) => ({
    tool: 'dependency-check',
    repository: 'hospital/patient-portal',
    branch: 'main',
    commit: 'a11ce',
    buildId: 'sca:1',
    report,
    ...extra,
  });

  it('reads the report from S3, imports valid findings and applies the gate', async () => {
    // Arrange
    s3.on(GetObjectCommand, { Bucket: 'reports-bucket', Key: 'r.json' }).resolves({ Body: body(SAMPLE) });
    // Act
    const response = await handler(direct({ bucket: 'reports-bucket', key: 'r.json' }), context);
    // Assert
    expect(response).toMatchObject({ status: 'ok', tool: 'dependency-check', reportUri: 's3://reports-bucket/r.json', failed: [], archived: 0 });
    expect(response.gate).toMatchObject({ failOn: 'HIGH', passed: false, blocking: expect.any(Number) });
    const gate = response.gate as { blocking: number; findings: unknown[] };
    expect(gate.findings.length).toBe(gate.blocking);
    expect(gate.findings[0]).toMatchObject({ rule: 'CVE-2021-44228', reasons: [{ kind: 'threshold' }, { kind: 'KEV' }] });
    const stored = hub.findings();
    expect(stored).toHaveLength(response.total as number);
    expect(stored.flatMap((f) => validateFinding(f))).toEqual([]);
    expect(stored.every((f) => f.ProductFields?.[FIELD.reportUri] === 's3://reports-bucket/r.json')).toBe(true);
  });

  it('dedupes a rebuild and archives the findings the next build fixed', async () => {
    // Arrange
    s3.on(GetObjectCommand, { Key: 'before.json' }).resolves({ Body: body(SAMPLE) });
    s3.on(GetObjectCommand, { Key: 'after.json' }).resolves({ Body: body(FIXED) });
    // Act
    const first = await handler(direct({ bucket: 'b', key: 'before.json' }), context);
    const rebuild = await handler(direct({ bucket: 'b', key: 'before.json' }, { buildId: 'sca:2' }), context);
    const fixed = await handler(direct({ bucket: 'b', key: 'after.json' }, { buildId: 'sca:3' }), context);
    // Assert
    expect(rebuild).toMatchObject({ imported: 0, unchanged: first.imported, archived: 0 });
    expect(fixed).toMatchObject({ archived: 2, status: 'ok' });
    expect(hub.findings()).toHaveLength(first.total as number);
  });

  it('accepts the AWS reference pipeline event and keeps its inline report in the KMS bucket', async () => {
    // Arrange
    s3.on(PutObjectCommand).resolves({});
    // Act
    const response = await handler(
      {
        messageType: 'CodeScanReport',
        reportType: 'OWASP-Dependency-Check',
        createdAt: '2026-11-22T10:00:00.123Z',
        source_repository: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/patient-portal',
        source_branch: 'main',
        source_commitid: 'c0ffee',
        build_id: 'sca-project:42',
        report: JSON.parse(SAMPLE.toString('utf8')),
      },
      context,
    );
    // Assert
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Bucket: 'reports-bucket', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/reports' });
    expect(put.Key).toMatch(/^inline-reports\/dependency-check\/patient-portal\/main\/c0ffee\//);
    expect(response.reportUri).toBe(`s3://reports-bucket/${put.Key}`);
    expect(hub.findings()[0]?.ProductFields?.[FIELD.repository]).toBe('patient-portal');
  });

  it('reads an S3 Object Created event for a report key', async () => {
    // Arrange
    const key = reportObjectKey({ tool: 'dependency-check', repository: 'hospital/patient-portal', branch: 'main', commit: 'abc', buildId: 'sca:9', fileName: 'dependency-check-report.json' });
    s3.on(GetObjectCommand).resolves({ Body: body(SAMPLE) });
    // Act
    const response = await handler(
      {
        version: '0',
        id: 'id',
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '123456789012',
        time: '2026-11-22T10:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail: { version: '0', bucket: { name: 'reports-bucket' }, object: { key }, 'request-id': 'r', requester: 'x' },
      },
      context,
    );
    // Assert
    expect(response).toMatchObject({ status: 'ok', tool: 'dependency-check' });
    expect(hub.findings()[0]?.ProductFields?.[FIELD.buildId]).toBe('sca:9');
  });

  it('rejects an event it cannot read with InvalidEvent, and a broken report with InvalidReport naming the object', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: body(Buffer.from('{"dependencies": [')) });
    // Act
    const badEvent = await handler({ repository: 'r' }, context).catch((e: Error) => e);
    const badReport = await handler(direct({ bucket: 'b', key: 'broken.json' }), context).catch((e: Error) => e);
    // Assert
    expect(badEvent).toMatchObject({ name: 'InvalidEvent' });
    expect(badReport).toMatchObject({ name: 'InvalidReport' });
    expect((badReport as Error).message).toMatch(/^s3:\/\/b\/broken\.json: is not valid JSON/);
    expect(hub.findings()).toHaveLength(0);
  });

  it('reports a partial import as partial, never as success', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: body(SAMPLE) });
    hub.setFaults({ findingFailureRate: 1, seed: 1 });
    try {
      // Act
      const response = await handler(direct({ bucket: 'b', key: 'r.json' }), context);
      // Assert
      expect(response.status).toBe('partial');
      expect((response.failed as unknown[]).length).toBeGreaterThan(0);
    } finally {
      hub.setFaults({});
    }
  });
});
