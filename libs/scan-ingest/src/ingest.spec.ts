import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import type { FindingDraft, ParsedReport } from '@devsecops/asff';
import type { ReportParser } from '@devsecops/report-input';
import { s3Body } from '@devsecops/test-support';
import type { ScanRequest } from './events';
import { incompleteReasons, ingestScan, type IngestDependencies } from './ingest';
import { scanCategory } from './convert';

describe('scanCategory', () => {
  it('takes the given category, else for ZAP the target origin (kept out of the Ids), else none', () => {
    expect(scanCategory({ category: 'api', target: 'https://staging.example/x' }, 'zap')).toEqual({ category: 'api' });
    expect(scanCategory({ target: 'https://staging.example/x' }, 'zap')).toEqual({ category: 'https://staging.example', categoryFromTarget: true });
    expect(scanCategory({ target: 'https://staging.example/x' }, 'semgrep')).toEqual({});
    expect(scanCategory({ category: '  ' }, 'semgrep')).toEqual({});
  });
});

describe('incompleteReasons', () => {
  it('collects why a scan is not whole: the event, the scanner, the parser', () => {
    expect(incompleteReasons({})).toEqual([]);
    expect(incompleteReasons({ complete: true, scannerErrors: [' '] })).toEqual([]);
    expect(incompleteReasons({ complete: false, scannerErrors: ['exit code 2'] }, ['the report stops mid-file'])).toEqual([
      'the event says complete: false',
      'scanner error: exit code 2',
      'the report stops mid-file',
    ]);
  });
});

/**
 * A minimal streaming parser (not a real scanner's: this library must not depend on the parsers) for
 * `{"scanner":"items","items":[{"rule","file"}…]}`: one finding per item.
 */
const draftOf = (item: unknown): FindingDraft => {
  const { rule, file } = item as { rule: string; file: string };
  return { ruleId: rule, location: file, title: `${rule} in ${file}`, description: `${rule} found in ${file}.`, severity: { label: 'HIGH', original: 'high' }, resources: [{ Type: 'Other', Id: file }] };
};
const parsedOf = (drafts: FindingDraft[]): ParsedReport => ({ tool: 'items', drafts, warnings: [] });
const itemsParser: ReportParser = {
  id: 'sarif',
  displayName: 'Items',
  detect: (doc) => (doc.value as { scanner?: string }).scanner === 'items',
  parse: (doc) => parsedOf(((doc.value as { items: unknown[] }).items ?? []).map(draftOf)),
  streaming: {
    itemsPath: ['items'],
    claims: (root) => (root as { scanner?: string }).scanner === 'items',
    begin: () => {
      const drafts: FindingDraft[] = [];
      return { item: (value) => drafts.push(draftOf(value)), finish: () => parsedOf(drafts) };
    },
  },
};
const SAMPLE = Buffer.from(JSON.stringify({ scanner: 'items', items: Array.from({ length: 150 }, (_, i) => ({ rule: `rule-${i % 7}`, file: `src/file-${i}.ts` })) }, null, 2));
const s3 = mockClient(S3Client);
const hub = mockClient(SecurityHubClient);
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const request: ScanRequest = {
  origin: 'direct',
  tool: 'auto',
  repository: 'hospital/patient-portal',
  branch: 'main',
  commit: 'a11ce',
  buildId: 'sca:1',
  report: { kind: 's3', bucket: 'reports', key: 'dc.json' },
} as ScanRequest;

function deps(): IngestDependencies {
  return {
    s3: new S3Client({ region: 'us-east-1' }),
    securityHub: new SecurityHubClient({ region: 'us-east-1' }),
    target: { awsAccountId: '123456789012', region: 'us-east-1', partition: 'aws' },
    parsers: [itemsParser],
    logger: silent as never,
    streamFrom: 0,
    now: () => new Date('2026-11-22T00:00:00Z'),
  };
}

describe('ingestScan reads the S3 object as a stream', () => {
  beforeEach(() => {
    s3.reset();
    hub.reset();
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));
  });

  it('imports the same findings from a body streamed in small chunks as from the whole body', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolvesOnce({ Body: s3Body(SAMPLE, 97) }).resolvesOnce({ Body: { transformToByteArray: async () => new Uint8Array(SAMPLE) } as never });
    // Act
    const streamed = await ingestScan(request, deps());
    const streamedImport = hub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings ?? []);
    hub.resetHistory();
    const whole = await ingestScan(request, deps());
    const wholeImport = hub.commandCalls(BatchImportFindingsCommand).flatMap((c) => c.args[0].input.Findings ?? []);
    // Assert
    expect(streamed).toEqual(whole);
    expect(streamed.imported).toBe(150);
    expect(streamedImport).toEqual(wholeImport);
  });

  it('a truncated object is an InvalidReport naming it, and nothing is imported or archived', async () => {
    // Arrange
    s3.on(GetObjectCommand).resolves({ Body: s3Body(SAMPLE.subarray(0, SAMPLE.length - 40), 64) });
    // Act
    const error = await ingestScan(request, deps()).catch((e: Error) => e);
    // Assert
    expect(error).toMatchObject({ name: 'ReportError' });
    expect((error as Error).message).toMatch(/^s3:\/\/reports\/dc\.json: is not valid JSON: (UnexpectedEndOfString|the document ends early)/);
    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(0);
  });
});
