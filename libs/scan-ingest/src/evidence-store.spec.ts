import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { FindingDraft, ParsedReport } from '@devsecops/asff';
import type { ReportParser } from '@devsecops/report-input';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { mockClient } from 'aws-sdk-client-mock';
import { scanEventSchema, type ScanRequest } from './events';
import { ingestScan, type IngestDependencies } from './ingest';

/** One finding per `alerts` entry, whose `otherinfo` is kept whole as evidence (as the ZAP parser does past its cap). */
const parser: ReportParser = {
  id: 'zap',
  displayName: 'Test ZAP',
  detect: (doc) => typeof doc.value === 'object' && doc.value !== null && 'alerts' in doc.value,
  parse: (doc): ParsedReport => ({
    tool: 'zap',
    warnings: [],
    drafts: (doc.value as { alerts: { rule: string; otherinfo: string }[] }).alerts.map(
      ({ rule, otherinfo }): FindingDraft => ({
        ruleId: rule,
        location: 'https://staging.example',
        title: rule,
        description: `${rule}: ${otherinfo.slice(0, 100)}…`,
        severity: { label: 'LOW', original: 'Low' },
        resources: [{ Type: 'Other', Id: 'https://staging.example' }],
        evidence: [{ name: 'OtherInfo', text: otherinfo }],
      }),
    ),
  }),
};

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('ingestScan stores whole evidence beside the reports', () => {
  let hub: SecurityHubLocal;
  const s3 = mockClient(S3Client);
  let reportBody: string;
  const puts: { key: string; body: string; encryption?: string; kmsKey?: string; findingsInHubThen: number }[] = [];

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
    puts.length = 0;
    s3.on(GetObjectCommand).callsFake(async () => ({ Body: { transformToByteArray: async () => new TextEncoder().encode(reportBody) } }));
    s3.on(PutObjectCommand).callsFake(async (input: { Key: string; Body: string; ServerSideEncryption?: string; SSEKMSKeyId?: string }) => {
      puts.push({ key: input.Key, body: String(input.Body), encryption: input.ServerSideEncryption, kmsKey: input.SSEKMSKeyId, findingsInHubThen: hub.findings().length });
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
    defaultFailOn: 'NONE',
  });
  const scan = (alerts: { rule: string; otherinfo: string }[]) => {
    reportBody = JSON.stringify({ alerts });
    const request = scanEventSchema().parse({ tool: 'zap', repository: 'hospital/portal', branch: 'main', report: { bucket: 'devsecops-reports', key: 'reports/zap/x/report.json' } }) as ScanRequest;
    return ingestScan(request, deps());
  };
  const big = 'other info '.repeat(140_000); // 1.5 MB, as in a real ZAP report

  it('writes each text once, KMS-encrypted and content-addressed, before the findings that link to it', async () => {
    // act
    const response = await scan([
      { rule: '10020', otherinfo: big },
      { rule: '10021', otherinfo: big },
    ]);
    // assert
    expect(response).toMatchObject({ status: 'ok', imported: 2 });
    const key = `evidence/sha256/${sha(big)}`;
    expect(puts.filter((p) => p.key.startsWith('evidence/'))).toEqual([{ key, body: big, encryption: 'aws:kms', kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/reports', findingsInHubThen: 0 }]);
    for (const finding of hub.findings()) {
      expect(finding.ProductFields).toMatchObject({ 'devsecops/Evidence/OtherInfo': `s3://devsecops-reports/${key}`, 'devsecops/Evidence/OtherInfo/Bytes': String(big.length) });
    }
  });

  it('writes nothing for an unchanged re-scan, and the changed text when the evidence changes past the cut', async () => {
    // arrange
    await scan([{ rule: '10020', otherinfo: big }]);
    puts.length = 0;
    // act
    const unchanged = await scan([{ rule: '10020', otherinfo: big }]);
    const unchangedPuts = puts.length;
    const changed = await scan([{ rule: '10020', otherinfo: `${big}!` }]);
    // assert
    expect(unchanged).toMatchObject({ imported: 0, unchanged: 1 });
    expect(unchangedPuts).toBe(0);
    expect(changed).toMatchObject({ imported: 1 });
    expect(puts.map((p) => p.key)).toEqual([`evidence/sha256/${sha(`${big}!`)}`]);
  });

  it('a failed write fails the findings that link to it: none is imported with a link to nothing', async () => {
    // arrange
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    // act
    const response = await scan([{ rule: '10020', otherinfo: big }]);
    // assert
    expect(response.status).toBe('partial');
    expect(response.failed).toEqual([expect.objectContaining({ code: 'EvidenceNotStored', message: expect.stringContaining('AccessDenied: Access Denied') })]);
    expect(hub.findings()).toEqual([]);
  });
});
