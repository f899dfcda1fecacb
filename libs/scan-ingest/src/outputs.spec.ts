import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { FindingDraft, ParsedReport } from '@devsecops/asff';
import type { ReportParser } from '@devsecops/report-input';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { mockClient } from 'aws-sdk-client-mock';
import { parse as parseJunit } from 'junit2json';
import { scanEventSchema, type ScanRequest } from './events';
import { ingestScan, type IngestDependencies } from './ingest';
import { outputsPrefix } from './outputs';

/** One finding per `results` entry `rule@file@SEVERITY`; no real parser (this library must not depend on them). */
const draftOf = (entry: string): FindingDraft => {
  const [rule, file, label] = entry.split('@') as [string, string, 'HIGH' | 'LOW'];
  return { ruleId: rule, location: file, title: `${rule} in ${file}`, description: `${rule} found in ${file}.`, severity: { label, original: label.toLowerCase() }, resources: [{ Type: 'Other', Id: file }] };
};
const parser: ReportParser = {
  id: 'sarif',
  displayName: 'Test SARIF',
  detect: (doc) => typeof doc.value === 'object' && doc.value !== null && 'results' in doc.value,
  parse: (doc): ParsedReport => ({ tool: 'semgrep', warnings: [], drafts: (doc.value as { results: string[] }).results.map(draftOf) }),
};

const REPORT_KEY = 'reports/sarif/hospital%2Fportal/main/c0ffee/sast%3A7/semgrep.sarif';

describe('outputsPrefix', () => {
  it('puts the outputs beside the report, under outputs/ instead of reports/', () => {
    // arrange
    const request = { tool: 'sarif', repository: 'hospital/portal', branch: 'main', report: { kind: 's3', bucket: 'b', key: REPORT_KEY } } as const;
    // act / assert
    expect(outputsPrefix(request as never, 'semgrep')).toBe('outputs/sarif/hospital%2Fportal/main/c0ffee/sast%3A7/');
  });

  it('builds the same segments for a report that is inline or elsewhere', () => {
    // arrange
    const request = { tool: 'auto', repository: 'hospital/portal', branch: 'feature/x', buildId: 'b:1', report: { kind: 'inline', report: {} } } as const;
    // act / assert
    expect(outputsPrefix(request as never, 'semgrep')).toBe('outputs/semgrep/hospital%2Fportal/feature%2Fx/-/b%3A1/');
  });
});

describe('ingestScan renders the JUnit and markdown outputs the build asks for', () => {
  let hub: SecurityHubLocal;
  const s3 = mockClient(S3Client);
  let reportBody: string;
  const stored = new Map<string, { body: string; encryption?: string; kmsKey?: string; contentType?: string }>();

  beforeAll(async () => {
    hub = await startSecurityHubLocal({ port: 0, throttling: false });
  });
  afterAll(async () => {
    s3.restore();
    await hub.close();
  });
  beforeEach(() => {
    hub.reset();
    s3.reset();
    stored.clear();
    s3.on(GetObjectCommand).callsFake(async () => ({ Body: { transformToByteArray: async () => new TextEncoder().encode(reportBody) } }));
    s3.on(PutObjectCommand).callsFake(async (input: { Key: string; Body: string; ServerSideEncryption?: string; SSEKMSKeyId?: string; ContentType?: string }) => {
      stored.set(input.Key, { body: String(input.Body), encryption: input.ServerSideEncryption, kmsKey: input.SSEKMSKeyId, contentType: input.ContentType });
      return {};
    });
  });

  const deps = (): IngestDependencies => ({
    s3: new S3Client({ region: 'us-east-1' }),
    securityHub: new SecurityHubClient({ region: 'us-east-1', endpoint: hub.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    target: { awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' },
    parsers: [parser],
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined } as never,
    reportsBucket: 'devsecops-reports',
    kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/reports',
    defaultFailOn: 'HIGH',
    now: () => new Date('2026-12-02T10:00:00Z'),
  });
  const scan = (results: string[], outputs?: string[]): ReturnType<typeof ingestScan> => {
    reportBody = JSON.stringify({ results });
    const request = scanEventSchema().parse({
      tool: 'sarif',
      repository: 'hospital/portal',
      branch: 'main',
      commit: 'c0ffee',
      buildId: 'sast:7',
      report: { bucket: 'devsecops-reports', key: REPORT_KEY },
      ...(outputs ? { outputs } : {}),
    }) as ScanRequest;
    return ingestScan(request, deps());
  };

  it('stores JUnit (one test case per finding, failed when it blocks) and markdown with the verdict, KMS-encrypted', async () => {
    // act
    const response = await scan(['sqli@src/db.ts@HIGH', 'style@src/ui.ts@LOW'], ['junit', 'markdown']);
    // assert
    const prefix = 'outputs/sarif/hospital%2Fportal/main/c0ffee/sast%3A7/';
    expect(response.outputs).toEqual({ junit: `s3://devsecops-reports/${prefix}findings.junit.xml`, markdown: `s3://devsecops-reports/${prefix}findings.md` });
    const junit = stored.get(`${prefix}findings.junit.xml`)!;
    expect(junit).toMatchObject({ encryption: 'aws:kms', kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/reports', contentType: 'application/xml' });
    const suites = await parseJunit(junit.body);
    const cases = (suites as { testsuite?: { testcase?: { name?: string; failure?: unknown[] }[] }[] }).testsuite!.flatMap((s) => s.testcase ?? []);
    expect(cases).toHaveLength(2);
    expect(cases.filter((c) => c.failure && c.failure.length > 0).map((c) => c.name)).toEqual([expect.stringContaining('sqli')]);
    const markdown = stored.get(`${prefix}findings.md`)!.body;
    expect(markdown).toMatch(/^## ❌ Security gate failed: 1 blocking/);
    expect(markdown).toContain('### Since the previous scan: 2 new, 0 fixed');
  });

  it('lists what the import archived as fixed and only unseen findings as new on the next scan', async () => {
    // arrange
    await scan(['sqli@src/db.ts@HIGH', 'style@src/ui.ts@LOW']);
    // act
    const response = await scan(['style@src/ui.ts@LOW', 'xss@src/view.ts@LOW'], ['markdown']);
    // assert
    expect(response.gate.passed).toBe(true);
    const markdown = [...stored.values()][0]!.body;
    expect(markdown).toMatch(/^## ✅ Security gate passed/);
    expect(markdown).toContain('### Since the previous scan: 1 new, 1 fixed');
    expect(markdown).toMatch(/\*\*New\*\*[\s\S]*xss[\s\S]*\*\*Fixed\*\*[\s\S]*sqli/);
  });

  it('stores nothing when the event asks for no outputs', async () => {
    // act
    const response = await scan(['sqli@src/db.ts@HIGH']);
    // assert
    expect(response.outputs).toBeUndefined();
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('a failed write is a warning naming the output, and the import still completes', async () => {
    // arrange
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    // act
    const response = await scan(['style@src/ui.ts@LOW'], ['junit']);
    // assert
    expect(response.status).toBe('ok');
    expect(response.imported).toBe(1);
    expect(response.outputs).toEqual({});
    expect(response.warnings).toContainEqual(expect.stringMatching(/^the junit output could not be stored at s3:\/\/devsecops-reports\/outputs\/.*findings\.junit\.xml \(AccessDenied: Access Denied\)$/));
  });

  it('refuses an output format it does not render', () => {
    // act
    const parsed = scanEventSchema().safeParse({ repository: 'r', branch: 'main', report: { bucket: 'b', key: 'k' }, outputs: ['html'] });
    // assert
    expect(parsed.success).toBe(false);
  });
});
