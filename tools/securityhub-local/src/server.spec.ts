import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  DescribeHubCommand,
  GetFindingsCommand,
  InvalidInputException,
  paginateGetFindings,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { validateFinding } from '@devsecops/asff';
import { ACCOUNT, FIXED_NOW, PRODUCT_ARN, clientFor, finding, findings, later } from './__fixtures__/findings';
import { startSecurityHubLocal, type SecurityHubLocal } from './index';

const T0 = '2026-11-21T12:00:00.000Z';
const T2 = '2026-11-23T12:00:00.000Z';
const T3 = '2026-11-24T12:00:00.000Z';
const T4 = '2026-11-25T12:00:00.000Z';
const SERVER_NOW = '2026-12-01T08:00:00.000Z';

let local: SecurityHubLocal;
let client: SecurityHubClient;

beforeAll(async () => {
  local = await startSecurityHubLocal({ throttling: false, now: () => new Date(SERVER_NOW) });
  client = clientFor(local.endpoint);
});
afterAll(async () => {
  client.destroy();
  await local.close();
});
beforeEach(() => local.reset());

async function importFindings(list: AwsSecurityFinding[]) {
  return client.send(new BatchImportFindingsCommand({ Findings: list }));
}

async function getById(id: string): Promise<AwsSecurityFinding> {
  const { Findings } = await client.send(new GetFindingsCommand({ Filters: { Id: [{ Value: id, Comparison: 'EQUALS' }] } }));
  expect(Findings).toHaveLength(1);
  return Findings![0]!;
}

function identifier(f: AwsSecurityFinding) {
  return { Id: f.Id!, ProductArn: f.ProductArn! };
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('BatchImportFindings → GetFindings → BatchUpdateFindings round trip', () => {
  it('stores what was imported, adds the fields Security Hub fills, and applies customer updates', async () => {
    // arrange
    const [first, second] = findings(2);

    // act
    const imported = await importFindings([first!, second!]);
    const stored = await getById(first!.Id!);
    const updated = await client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [identifier(first!)],
        Workflow: { Status: 'NOTIFIED' },
        Note: { Text: 'ticket SEC-1', UpdatedBy: 'triage-bot' },
      }),
    );
    const afterUpdate = await getById(first!.Id!);

    // assert
    expect(imported).toMatchObject({ SuccessCount: 2, FailedCount: 0, FailedFindings: [] });
    expect(stored).toMatchObject({
      Id: first!.Id,
      Title: first!.Title,
      ProcessedAt: SERVER_NOW,
      Region: 'us-east-1',
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
      WorkflowState: 'NEW',
      Severity: { Label: 'INFORMATIONAL', Normalized: 0 },
      ProductName: 'test-tool',
      CompanyName: 'devsecops-pipeline',
    });
    expect(stored.ProductFields).toMatchObject({
      ...first!.ProductFields,
      'aws/securityhub/FindingId': `${PRODUCT_ARN}/${first!.Id}`,
      'aws/securityhub/ProductName': 'test-tool',
      'aws/securityhub/CompanyName': 'devsecops-pipeline',
    });
    expect(validateFinding(stored)).toEqual([]);
    expect(updated).toMatchObject({ ProcessedFindings: [identifier(first!)], UnprocessedFindings: [] });
    expect(afterUpdate.Workflow).toEqual({ Status: 'NOTIFIED' });
    expect(afterUpdate.Note).toEqual({ Text: 'ticket SEC-1', UpdatedBy: 'triage-bot', UpdatedAt: SERVER_NOW });
    expect(afterUpdate.UpdatedAt).toBe(FIXED_NOW);
    expect(local.stats()).toMatchObject({
      requests: { BatchImportFindings: 1, GetFindings: 2, BatchUpdateFindings: 1 },
      imports: { created: 2, updated: 0, ignored: 0, failed: 0 },
      updates: { processed: 1, unprocessed: 0 },
      findings: 2,
    });
  });

  it('names custom findings like Security Hub does when ProductName and CompanyName are missing', async () => {
    // arrange
    const { ProductName: _p, CompanyName: _c, ...bare } = finding(1);

    // act
    await importFindings([bare as AwsSecurityFinding]);

    // assert
    expect(await getById(bare.Id!)).toMatchObject({ ProductName: 'Default', CompanyName: 'Personal' });
  });

  it('fills FindingProviderFields from the top level of a new finding, and Severity.Normalized from the label', async () => {
    // arrange
    const f = finding(3); // HIGH
    delete f.FindingProviderFields;
    f.Confidence = 80;

    // act
    await importFindings([f]);

    // assert
    expect((await getById(f.Id!)).FindingProviderFields).toEqual({ Severity: { Label: 'HIGH', Original: 'high' }, Types: f.Types, Confidence: 80 });
    expect((await getById(f.Id!)).Severity).toEqual({ Label: 'HIGH', Original: 'high', Normalized: 70 });
  });

  it('returns copies from findings(), so a test cannot change the store by accident', async () => {
    // arrange
    await importFindings([finding(1)]);

    // act
    local.findings()[0]!.Title = 'changed';

    // assert
    expect(local.findings()[0]!.Title).toBe(finding(1).Title);
  });
});

describe('GetFindings paging', () => {
  beforeEach(async () => {
    const all = findings(250);
    for (let i = 0; i < all.length; i += 100) await importFindings(all.slice(i, i + 100));
  });

  it('pages 250 findings in creation order, 100 per page by default', async () => {
    // act
    const sizes: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateGetFindings({ client }, {})) {
      sizes.push(page.Findings!.length);
      ids.push(...page.Findings!.map((f) => f.Id!));
    }

    // assert
    expect(sizes).toEqual([100, 100, 50]);
    expect(ids).toEqual(findings(250).map((f) => f.Id));
  });

  it('honours MaxResults and ends without a NextToken', async () => {
    // act
    const pages: number[] = [];
    let last: string | undefined = 'start';
    for await (const page of paginateGetFindings({ client, pageSize: 30 }, {})) {
      pages.push(page.Findings!.length);
      last = page.NextToken;
    }

    // assert
    expect(pages).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 10]);
    expect(last).toBeUndefined();
  });

  it('neither skips nor repeats findings when the findings change between pages', async () => {
    // arrange
    const active = { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' as const }] };
    const first = await client.send(new GetFindingsCommand({ Filters: active, MaxResults: 100 }));

    // act: archive everything seen so far, as an archiver does while it pages
    await importFindings(first.Findings!.map((f) => later(f, T2, { RecordState: 'ARCHIVED' })));
    const rest: AwsSecurityFinding[] = [];
    let token = first.NextToken;
    while (token) {
      const page = await client.send(new GetFindingsCommand({ Filters: active, MaxResults: 100, NextToken: token }));
      rest.push(...page.Findings!);
      token = page.NextToken;
    }

    // assert
    expect(new Set([...first.Findings!, ...rest].map((f) => f.Id)).size).toBe(250);
    expect(rest).toHaveLength(150);
  });

  it('rejects MaxResults over 100 and unknown tokens with InvalidInputException', async () => {
    // act
    const tooMany = await rejection(client.send(new GetFindingsCommand({ MaxResults: 101 })));
    const badToken = await rejection(client.send(new GetFindingsCommand({ NextToken: 'bm90LWEtdG9rZW4' })));

    // assert
    expect(tooMany).toBeInstanceOf(InvalidInputException);
    expect(tooMany.$metadata?.httpStatusCode).toBe(400);
    expect(badToken).toBeInstanceOf(InvalidInputException);
    expect(badToken.message).toMatch(/NextToken/);
  });
});

describe('request and finding limits', () => {
  it('rejects 101 findings in one call with InvalidInputException and stores none', async () => {
    // act
    const error = await rejection(importFindings(findings(101)));

    // assert
    expect(error).toBeInstanceOf(InvalidInputException);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/limit 100/);
    expect(local.stats().findings).toBe(0);
  });

  it('rejects a request body over 6 MB', async () => {
    // arrange: 30 findings of ~230 KB each (32 resources with 7 KB of Details.Other), each under the 240 KB finding limit
    const details = { Other: Object.fromEntries(Array.from({ length: 7 }, (_, k) => [`k${k}`, 'v'.repeat(1000)])) };
    const padded = findings(30).map((f) => ({ ...f, Resources: Array.from({ length: 32 }, (_, i) => ({ Type: 'Other', Id: `r${i}`, Details: details })) }));

    // act
    const error = await rejection(importFindings(padded));

    // assert
    expect(Buffer.byteLength(JSON.stringify({ Findings: padded }))).toBeGreaterThan(6 * 1024 * 1024);
    expect(error).toBeInstanceOf(InvalidInputException);
    expect(error.message).toMatch(/6 MB/);
  });

  it('fails invalid findings one by one while the valid ones import', async () => {
    // arrange
    const [good1, bad, good2] = findings(3);
    const invalid = { ...bad!, Title: '', Severity: { Label: 'SEVERE' } } as unknown as AwsSecurityFinding;

    // act
    const result = await importFindings([good1!, invalid, good2!]);

    // assert
    expect(result.SuccessCount).toBe(2);
    expect(result.FailedCount).toBe(1);
    expect(result.FailedFindings).toEqual([{ Id: bad!.Id, ErrorCode: 'InvalidInput', ErrorMessage: expect.stringContaining('Severity.Label must be one of') }]);
    expect(result.FailedFindings![0]!.ErrorMessage).toContain('Title must have at least 1');
    expect(local.findings().map((f) => f.Id)).toEqual([good1!.Id, good2!.Id]);
  });

  it('refuses a default-product finding of another account, or of another Region, with InvalidAccess', async () => {
    // arrange
    const otherAccount = { ...finding(1), AwsAccountId: '999999999999' };
    const otherRegion = finding(2, { scope: { region: 'eu-west-1' } });

    // act
    const result = await importFindings([otherAccount, otherRegion, finding(3)]);

    // assert
    expect(result.FailedFindings).toEqual([
      { Id: otherAccount.Id, ErrorCode: 'InvalidAccess', ErrorMessage: expect.stringContaining('999999999999') },
      { Id: otherRegion.Id, ErrorCode: 'InvalidAccess', ErrorMessage: expect.stringContaining('us-east-1') },
    ]);
    expect(result.SuccessCount).toBe(1);
  });

  it('refuses findings for another account\'s default product when the caller account is configured', async () => {
    // arrange
    const server = await startSecurityHubLocal({ throttling: false, accountId: '210987654321' });
    const caller = clientFor(server.endpoint);

    // act
    const result = await caller.send(new BatchImportFindingsCommand({ Findings: [finding(1)] }));
    caller.destroy();
    await server.close();

    // assert
    expect(result.FailedFindings).toEqual([{ Id: finding(1).Id, ErrorCode: 'InvalidAccess', ErrorMessage: expect.stringContaining(ACCOUNT) }]);
  });
});

describe('updates by BatchImportFindings', () => {
  it('ignores an import whose UpdatedAt is older than or equal to the stored one, but counts it as success', async () => {
    // arrange
    const original = finding(1, { at: T0 });
    await importFindings([later(original, T2, { Title: 'stored' })]);

    // act
    const older = await importFindings([later(original, FIXED_NOW, { Title: 'older' })]);
    const equal = await importFindings([later(original, T2, { Title: 'equal' })]);
    const titleAfterStale = (await getById(original.Id!)).Title;
    await importFindings([later(original, T3, { Title: 'newer' })]);

    // assert
    expect(older).toMatchObject({ SuccessCount: 1, FailedCount: 0 });
    expect(equal).toMatchObject({ SuccessCount: 1, FailedCount: 0 });
    expect(titleAfterStale).toBe('stored');
    expect(await getById(original.Id!)).toMatchObject({ Title: 'newer', UpdatedAt: T3, CreatedAt: T0 });
    expect(local.stats().imports).toMatchObject({ created: 1, updated: 1, ignored: 2 });
  });

  it('orders UpdatedAt to the nanosecond and across time zone offsets', async () => {
    // arrange
    const original = finding(1, { at: '2026-11-22T12:00:00.000000001Z' });
    await importFindings([original]);

    // act
    await importFindings([later(original, '2026-11-22T13:00:00.000000001+01:00', { Title: 'same instant' })]);
    await importFindings([later(original, '2026-11-22T12:00:00.000000002Z', { Title: 'one ns later' })]);

    // assert
    expect((await getById(original.Id!)).Title).toBe('one ns later');
  });

  it('keeps customer-owned fields (Workflow, Note, VerificationState, UserDefinedFields) when the provider re-imports', async () => {
    // arrange
    const original = finding(1);
    await importFindings([original]);
    await client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [identifier(original)],
        Workflow: { Status: 'SUPPRESSED' },
        Note: { Text: 'accepted risk', UpdatedBy: 'alice' },
        VerificationState: 'FALSE_POSITIVE',
        UserDefinedFields: { owner: 'team-a' },
      }),
    );

    // act
    await importFindings([
      later(original, T2, {
        Title: 'provider changed the title',
        Workflow: { Status: 'NEW' },
        Note: { Text: 'provider note', UpdatedBy: 'scanner', UpdatedAt: T2 },
        VerificationState: 'TRUE_POSITIVE',
        UserDefinedFields: { owner: 'provider' },
      }),
    ]);

    // assert
    expect(await getById(original.Id!)).toMatchObject({
      Title: 'provider changed the title',
      Workflow: { Status: 'SUPPRESSED' },
      Note: { Text: 'accepted risk', UpdatedBy: 'alice', UpdatedAt: SERVER_NOW },
      VerificationState: 'FALSE_POSITIVE',
      UserDefinedFields: { owner: 'team-a' },
    });
  });

  it('ignores customer-owned fields on a re-import even when the customer never set them', async () => {
    // arrange
    const original = finding(1);
    await importFindings([original]);

    // act
    await importFindings([later(original, T2, { Note: { Text: 'sneaky', UpdatedBy: 'scanner', UpdatedAt: T2 }, UserDefinedFields: { a: 'b' } })]);

    // assert
    const stored = await getById(original.Id!);
    expect(stored.Note).toBeUndefined();
    expect(stored.UserDefinedFields).toBeUndefined();
  });

  it('updates top-level Severity and Types through FindingProviderFields until a customer changes them', async () => {
    // arrange
    const original = finding(1); // LOW
    await importFindings([original]);

    // act
    await importFindings([later(original, T2, { FindingProviderFields: { Severity: { Label: 'CRITICAL', Original: '9.8' }, Types: ['Effects/Data Exposure'] } })]);
    const providerUpdated = await getById(original.Id!);
    await client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier(original)], Severity: { Label: 'MEDIUM' } }));
    await importFindings([later(original, T3, { FindingProviderFields: { Severity: { Label: 'HIGH', Original: '8.1' }, Types: ['TTPs'] } })]);
    const afterCustomer = await getById(original.Id!);

    // assert
    expect(providerUpdated.Severity).toMatchObject({ Label: 'CRITICAL', Normalized: 90, Original: '9.8' });
    expect(providerUpdated.Types).toEqual(['Effects/Data Exposure']);
    expect(afterCustomer.Severity).toMatchObject({ Label: 'MEDIUM', Normalized: 40 });
    expect(afterCustomer.FindingProviderFields?.Severity).toEqual({ Label: 'HIGH', Original: '8.1' });
    expect(afterCustomer.Types).toEqual(['TTPs']);
  });

  it('reopens a NOTIFIED or RESOLVED finding as NEW when it goes from ARCHIVED back to ACTIVE', async () => {
    // arrange
    const [resolved, suppressed] = findings(2);
    await importFindings([resolved!, suppressed!]);
    await client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier(resolved!)], Workflow: { Status: 'RESOLVED' } }));
    await client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier(suppressed!)], Workflow: { Status: 'SUPPRESSED' } }));

    // act
    await importFindings([later(resolved!, T2, { RecordState: 'ARCHIVED' }), later(suppressed!, T2, { RecordState: 'ARCHIVED' })]);
    const whileArchived = (await getById(resolved!.Id!)).Workflow?.Status;
    await importFindings([later(resolved!, T3, { RecordState: 'ACTIVE' }), later(suppressed!, T3, { RecordState: 'ACTIVE' })]);

    // assert
    expect(whileArchived).toBe('RESOLVED');
    expect(await getById(resolved!.Id!)).toMatchObject({ RecordState: 'ACTIVE', Workflow: { Status: 'NEW' }, WorkflowState: 'NEW' });
    expect((await getById(suppressed!.Id!)).Workflow?.Status).toBe('SUPPRESSED');
  });

  it('reopens a RESOLVED finding when its compliance goes from PASSED to FAILED', async () => {
    // arrange
    const original = { ...finding(1), Compliance: { Status: 'PASSED' as const } };
    await importFindings([original]);
    await client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier(original)], Workflow: { Status: 'RESOLVED' } }));

    // act
    await importFindings([later(original, T4, { Compliance: { Status: 'FAILED' } })]);

    // assert
    expect((await getById(original.Id!)).Workflow?.Status).toBe('NEW');
  });
});

describe('BatchUpdateFindings', () => {
  it('reports unknown and duplicated identifiers as UnprocessedFindings and updates the rest', async () => {
    // arrange
    const f = finding(1);
    await importFindings([f]);
    const missing = { Id: 'does-not-exist', ProductArn: PRODUCT_ARN };

    // act
    const result = await client.send(
      new BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier(f), missing, identifier(f)], VerificationState: 'TRUE_POSITIVE' }),
    );

    // assert
    expect(result.ProcessedFindings).toEqual([identifier(f)]);
    expect(result.UnprocessedFindings).toEqual([
      { FindingIdentifier: missing, ErrorCode: 'FindingNotFound', ErrorMessage: expect.any(String) },
      { FindingIdentifier: identifier(f), ErrorCode: 'DuplicatedFindingIdentifier', ErrorMessage: expect.any(String) },
    ]);
    expect((await getById(f.Id!)).VerificationState).toBe('TRUE_POSITIVE');
  });

  it('sets Confidence, Criticality, Types and RelatedFindings, and merges UserDefinedFields (empty value removes)', async () => {
    // arrange
    const [f, related] = findings(2);
    await importFindings([f!, related!]);
    await client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier(f!)], UserDefinedFields: { owner: 'a', ticket: 'T-1' } }));

    // act
    await client.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [identifier(f!)],
        Confidence: 55,
        Criticality: 90,
        Types: ['Effects/Data Exposure'],
        RelatedFindings: [identifier(related!)],
        UserDefinedFields: { owner: 'b', ticket: '' },
        Severity: { Normalized: 75 },
      }),
    );

    // assert
    expect(await getById(f!.Id!)).toMatchObject({
      Confidence: 55,
      Criticality: 90,
      Types: ['Effects/Data Exposure'],
      RelatedFindings: [identifier(related!)],
      UserDefinedFields: { owner: 'b' },
      Severity: { Label: 'HIGH', Normalized: 75 },
      UpdatedAt: FIXED_NOW,
    });
  });

  it.each([
    ['no field to update', {}],
    ['Confidence over 100', { Confidence: 101 }],
    ['an unknown workflow status', { Workflow: { Status: 'DONE' } }],
    ['a Note without UpdatedBy', { Note: { Text: 'x' } }],
    ['a Type outside the ASFF namespaces', { Types: ['Made Up/Category'] }],
    ['an unknown severity label', { Severity: { Label: 'SEVERE' } }],
  ])('rejects %s with InvalidInputException', async (_name, fields) => {
    // arrange
    const f = finding(1);
    await importFindings([f]);

    // act
    const error = await rejection(client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [identifier(f)], ...(fields as object) })));

    // assert
    expect(error).toBeInstanceOf(InvalidInputException);
  });
});

describe('protocol', () => {
  it('sends errors with the x-amzn-errortype header and a {Message, Code} body', async () => {
    // act
    const response = await fetch(`${local.endpoint}/findings/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    // assert
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidInputException');
    expect(await response.json()).toEqual({ Code: 'InvalidInputException', Message: expect.stringMatching(/Findings/) });
  });

  it('answers unimplemented operations with 404 UnknownOperationException', async () => {
    // act
    const response = await fetch(`${local.endpoint}/insights/get`, { method: 'POST', body: '{}' });

    // assert
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(local.stats().unknownRequests).toBe(1);
  });

  it('rejects a body that is not JSON', async () => {
    // act
    const response = await fetch(`${local.endpoint}/findings`, { method: 'POST', body: '{not json' });

    // assert
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ Code: 'InvalidInputException' });
  });

  it('describes the hub, so "is Security Hub enabled" checks pass', async () => {
    // act
    const hub = await client.send(new DescribeHubCommand({}));

    // assert
    expect(hub.HubArn).toBe(`arn:aws:securityhub:us-east-1:${ACCOUNT}:hub/default`);
  });

  it('binds only to 127.0.0.1', async () => {
    // act / assert
    expect(local.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(startSecurityHubLocal({ host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1/);
  });
});
