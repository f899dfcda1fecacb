import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { FIELD, type ParsedReport } from '@devsecops/asff';
import type { ReportParser } from '@devsecops/report-input';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import { lambdaContext } from '@devsecops/test-support';
import { mockClient } from 'aws-sdk-client-mock';
import { scanEventSchema } from './events';
import { createScanFunction, ledgerFromEnvironment, rateShareFromEnvironment } from './lambda';

const OWN = '123456789012';
const WORKLOAD = '210987654321';

/** A SARIF-like stand-in: one finding per entry of `results`, so these tests need no real parser. */
const parser: ReportParser = {
  id: 'sarif',
  displayName: 'Test SARIF',
  detect: (doc) => typeof doc.value === 'object' && doc.value !== null && 'results' in doc.value,
  parse: (doc): ParsedReport => ({
    tool: 'semgrep',
    warnings: [],
    drafts: ((doc.value as { results: string[] }).results ?? []).map((rule) => ({
      ruleId: rule,
      location: 'src/app.ts',
      title: `${rule} in src/app.ts`,
      description: 'A problem.',
      severity: { label: 'LOW', original: 'note' },
      resources: [{ Type: 'Other', Id: 'src/app.ts' }],
    })),
  }),
};

describe('createScanFunction: accounts and scan identity', () => {
  let hub: SecurityHubLocal;
  const sts = mockClient(STSClient);

  beforeAll(async () => {
    // The workload account's Security Hub: it refuses findings whose AwsAccountId is any other account (asff.md §2).
    hub = await startSecurityHubLocal({ port: 0, throttling: false, accountId: WORKLOAD });
  });
  afterAll(async () => {
    sts.restore();
    await hub.close();
  });
  beforeEach(() => {
    hub.reset();
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAWORKLOAD', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(Date.now() + 3_600_000) } });
  });

  const fn = () =>
    createScanFunction({
      serviceName: 'sast-parser',
      parsers: [parser],
      env: { AWS_REGION: 'us-east-1', SECURITYHUB_ENDPOINT: hub.endpoint, AWS_ACCOUNT_ID: OWN, IMPORT_ROLE_ARN: 'arn:aws:iam::{account}:role/devsecops-findings-import', GATE_FAIL_ON: 'NONE' },
    });
  const event = (extra: Record<string, unknown>) => ({ repository: 'hospital/portal', branch: 'main', report: { results: ['rule-a', 'rule-b'] }, ...extra });

  it('imports into the workload account named by the event through the role it assumes there', async () => {
    // act
    const response = await fn().processScan(scanEventSchema().parse(event({ account: WORKLOAD, category: 'backend' })), lambdaContext('sast-parser'));
    // assert
    expect(response).toMatchObject({ status: 'ok', account: WORKLOAD, category: 'backend', imported: 2 });
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([`arn:aws:iam::${WORKLOAD}:role/devsecops-findings-import`]);
    expect(hub.findings().map((f) => [f.AwsAccountId, f.ProductArn, f.ProductFields?.[FIELD.category]])).toEqual([
      [WORKLOAD, `arn:aws:securityhub:us-east-1:${WORKLOAD}:product/${WORKLOAD}/default`, 'backend'],
      [WORKLOAD, `arn:aws:securityhub:us-east-1:${WORKLOAD}:product/${WORKLOAD}/default`, 'backend'],
    ]);
  });

  it('archives nothing for a scan the event calls incomplete, and says so in the response', async () => {
    // arrange
    const scan = fn();
    const parse = (e: unknown) => scanEventSchema().parse(e);
    await scan.processScan(parse(event({ account: WORKLOAD })), lambdaContext('sast-parser'));
    // act
    const response = await scan.processScan(parse(event({ account: WORKLOAD, report: { results: [] }, complete: false, scannerErrors: ['semgrep: out of memory'] })), lambdaContext('sast-parser'));
    // assert
    expect(response).toMatchObject({ archived: 0, archiveSkipped: 'incomplete scan: the event says complete: false; scanner error: semgrep: out of memory' });
    expect(hub.findings().filter((f) => f.RecordState === 'ARCHIVED')).toEqual([]);
  });

  it('refuses an event naming another account when no role is configured, with one clear error', async () => {
    // arrange
    const scan = createScanFunction({ serviceName: 'sast-parser', parsers: [parser], env: { AWS_REGION: 'us-east-1', SECURITYHUB_ENDPOINT: hub.endpoint, AWS_ACCOUNT_ID: OWN } });
    // act
    const result = await scan.handler(event({ account: WORKLOAD }), lambdaContext('sast-parser')).catch((error: Error) => error);
    // assert
    expect(String((result as Error).message ?? JSON.stringify(result))).toMatch(/account 210987654321 is not this function's account \(123456789012\) and IMPORT_ROLE_ARN is not set/);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});

describe('parser environment', () => {
  it('reads the ledger and rate-share settings and refuses bad values', () => {
    expect(ledgerFromEnvironment({}, () => ({}) as never)).toBeUndefined();
    expect(ledgerFromEnvironment({ FINDINGS_STATE: 's3://reports/state/', LEDGER_MAX_AGE_DAYS: '3', LEDGER_DECISIONS: 'ledger' }, () => ({}) as never)).toMatchObject({
      store: { location: 's3://reports/state/' },
      maxAgeDays: 3,
      decisions: 'ledger',
    });
    expect(() => ledgerFromEnvironment({ FINDINGS_STATE: '/tmp/state' }, () => ({}) as never)).toThrow(/FINDINGS_STATE must be s3:/);
    expect(() => ledgerFromEnvironment({ FINDINGS_STATE: 's3://b/p', LEDGER_DECISIONS: 'never' }, () => ({}) as never)).toThrow(/LEDGER_DECISIONS/);
    expect(rateShareFromEnvironment({ IMPORT_RATE_SHARE: '0.2' })).toBe(0.2);
    expect(() => rateShareFromEnvironment({ IMPORT_RATE_SHARE: '2' })).toThrow(/IMPORT_RATE_SHARE/);
  });
});
