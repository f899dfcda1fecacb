import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  InvalidInputException,
  paginateGetFindings,
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  type SecurityHubClient,
  type SortCriterion,
} from '@aws-sdk/client-securityhub';
import { FIELD, clientFor, finding } from './__fixtures__/findings';
import { startSecurityHubLocal, type SecurityHubLocal } from './index';

const OTHER_ACCOUNT = '210987654321';
const OTHER_PRODUCT = `arn:aws:securityhub:us-east-1:${OTHER_ACCOUNT}:product/${OTHER_ACCOUNT}/default`;

/**
 * Six findings with known attributes; each test names the ones a filter must return by their number.
 * n  tool  severity       state     account  branch     compliance  workflow (customer)  confidence  UpdatedAt
 * 0  sca   CRITICAL       ACTIVE    main     main       FAILED      NEW                  0           2026-11-10
 * 1  sca   HIGH           ARCHIVED  main     main       -           NEW                  10          2026-11-11
 * 2  sast  MEDIUM         ACTIVE    main     main       PASSED      NOTIFIED             20          2026-11-12
 * 3  sast  LOW            ACTIVE    main     main       -           SUPPRESSED           30          2026-11-13
 * 4  dast  INFORMATIONAL  ACTIVE    other    main       -           NEW                  40          2026-11-14
 * 5  dast  HIGH           ACTIVE    main     feature/x  -           NEW                  50          2026-11-15
 */
const ROWS = [
  { tool: 'sca', label: 'CRITICAL', compliance: 'FAILED' },
  { tool: 'sca', label: 'HIGH', archived: true },
  { tool: 'sast', label: 'MEDIUM', compliance: 'PASSED' },
  { tool: 'sast', label: 'LOW' },
  { tool: 'dast', label: 'INFORMATIONAL', account: OTHER_ACCOUNT },
  { tool: 'dast', label: 'HIGH', branch: 'feature/x' },
] as const;

function build(n: number): AwsSecurityFinding {
  const row = ROWS[n]! as { tool: string; label: 'CRITICAL'; compliance?: 'FAILED'; archived?: boolean; account?: string; branch?: string };
  const at = `2026-11-${10 + n}T00:00:00.000Z`;
  const f = finding(n, {
    scope: { tool: row.tool, ...(row.account ? { awsAccountId: row.account } : {}), ...(row.branch ? { branch: row.branch } : {}) },
    draft: { severity: { label: row.label, original: row.label }, confidence: n * 10, ...(row.archived ? { state: 'RESOLVED' } : {}) },
    at,
  });
  f.Resources = [{ Type: n % 2 === 0 ? 'AwsS3Bucket' : 'Other', Id: `resource-${n}`, Tags: { team: n < 3 ? 'red' : 'blue' } }];
  if (row.compliance) f.Compliance = { Status: row.compliance };
  return f;
}

const FINDINGS = ROWS.map((_, n) => build(n));
const numberOf = new Map(FINDINGS.map((f, n) => [f.Id!, n]));

let local: SecurityHubLocal;
let client: SecurityHubClient;

beforeAll(async () => {
  local = await startSecurityHubLocal({ throttling: false, now: () => new Date('2026-11-16T00:00:00.000Z') });
  client = clientFor(local.endpoint);
  await client.send(new BatchImportFindingsCommand({ Findings: FINDINGS }));
  const update = (n: number, Status: 'NOTIFIED' | 'SUPPRESSED') =>
    client.send(new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: FINDINGS[n]!.Id!, ProductArn: FINDINGS[n]!.ProductArn! }], Workflow: { Status } }));
  await update(2, 'NOTIFIED');
  await update(3, 'SUPPRESSED');
  await client.send(
    new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: FINDINGS[5]!.Id!, ProductArn: FINDINGS[5]!.ProductArn! }], UserDefinedFields: { ticket: 'SEC-5' } }),
  );
});
afterAll(async () => {
  client.destroy();
  await local.close();
});

/** Numbers of the findings GetFindings returns for these filters, over every page. */
async function matching(Filters: AwsSecurityFindingFilters, SortCriteria?: SortCriterion[]): Promise<number[]> {
  const found: number[] = [];
  for await (const page of paginateGetFindings({ client, pageSize: 2 }, { Filters, ...(SortCriteria ? { SortCriteria } : {}) })) {
    found.push(...page.Findings!.map((f) => numberOf.get(f.Id!)!));
  }
  return found;
}

const eq = (Value: string) => ({ Value, Comparison: 'EQUALS' as const });

describe('GetFindings string filters', () => {
  it.each<[string, AwsSecurityFindingFilters, number[]]>([
    ['Id EQUALS', { Id: [eq(FINDINGS[3]!.Id!)] }, [3]],
    ['Id EQUALS, two values (OR)', { Id: [eq(FINDINGS[3]!.Id!), eq(FINDINGS[0]!.Id!)] }, [0, 3]],
    ['GeneratorId EQUALS', { GeneratorId: [eq('sast/RULE-2')] }, [2]],
    ['GeneratorId PREFIX', { GeneratorId: [{ Value: 'sca/', Comparison: 'PREFIX' }] }, [0, 1]],
    ['GeneratorId PREFIX_NOT_EQUALS', { GeneratorId: [{ Value: 'sca/', Comparison: 'PREFIX_NOT_EQUALS' }] }, [2, 3, 4, 5]],
    ['RecordState EQUALS ACTIVE', { RecordState: [eq('ACTIVE')] }, [0, 2, 3, 4, 5]],
    ['RecordState EQUALS ARCHIVED', { RecordState: [eq('ARCHIVED')] }, [1]],
    ['SeverityLabel EQUALS, OR within the field', { SeverityLabel: [eq('CRITICAL'), eq('HIGH')] }, [0, 1, 5]],
    ['SeverityLabel NOT_EQUALS, AND within the field', { SeverityLabel: [{ Value: 'HIGH', Comparison: 'NOT_EQUALS' }, { Value: 'LOW', Comparison: 'NOT_EQUALS' }] }, [0, 2, 4]],
    ['AwsAccountId EQUALS', { AwsAccountId: [eq(OTHER_ACCOUNT)] }, [4]],
    ['ProductArn EQUALS', { ProductArn: [eq(OTHER_PRODUCT)] }, [4]],
    ['ProductArn NOT_EQUALS', { ProductArn: [{ Value: OTHER_PRODUCT, Comparison: 'NOT_EQUALS' }] }, [0, 1, 2, 3, 5]],
    ['WorkflowStatus EQUALS', { WorkflowStatus: [eq('NEW')] }, [0, 1, 4, 5]],
    ['WorkflowStatus NOT_EQUALS SUPPRESSED', { WorkflowStatus: [{ Value: 'SUPPRESSED', Comparison: 'NOT_EQUALS' }] }, [0, 1, 2, 4, 5]],
    ['ProductName EQUALS', { ProductName: [eq('dast')] }, [4, 5]],
    ['ComplianceStatus EQUALS', { ComplianceStatus: [eq('PASSED'), eq('FAILED')] }, [0, 2]],
    ['Title CONTAINS', { Title: [{ Value: 'file-3', Comparison: 'CONTAINS' }] }, [3]],
    ['Title NOT_CONTAINS', { Title: [{ Value: 'file-3', Comparison: 'NOT_CONTAINS' }, { Value: 'file-4', Comparison: 'NOT_CONTAINS' }] }, [0, 1, 2, 5]],
    ['ResourceType EQUALS (multi-valued attribute)', { ResourceType: [eq('AwsS3Bucket')] }, [0, 2, 4]],
    ['Type PREFIX', { Type: [{ Value: 'Software and Configuration Checks/', Comparison: 'PREFIX' }] }, [0, 1, 2, 3, 4, 5]],
    ['PREFIX then NOT_EQUALS on one field', { GeneratorId: [{ Value: 's', Comparison: 'PREFIX' }, { Value: 'sca/RULE-0', Comparison: 'NOT_EQUALS' }] }, [1, 2, 3]],
    ['AND across attributes', { RecordState: [eq('ACTIVE')], SeverityLabel: [eq('HIGH')], AwsAccountId: [eq('123456789012')] }, [5]],
  ])('%s', async (_name, filters, expected) => {
    // act
    const found = await matching(filters);

    // assert
    expect(found).toEqual(expected);
  });
});

describe('GetFindings map filters', () => {
  const pf = (Key: string, Value: string, Comparison: 'EQUALS' | 'NOT_EQUALS' | 'CONTAINS' | 'NOT_CONTAINS') => ({ Key, Value, Comparison });

  it.each<[string, AwsSecurityFindingFilters, number[]]>([
    ['ProductFields EQUALS', { ProductFields: [pf(FIELD.tool, 'sast', 'EQUALS')] }, [2, 3]],
    ['ProductFields EQUALS, OR within one key', { ProductFields: [pf(FIELD.tool, 'sast', 'EQUALS'), pf(FIELD.tool, 'dast', 'EQUALS')] }, [2, 3, 4, 5]],
    ['ProductFields EQUALS on two keys (AND)', { ProductFields: [pf(FIELD.tool, 'dast', 'EQUALS'), pf(FIELD.branch, 'main', 'EQUALS')] }, [4]],
    ['ProductFields NOT_EQUALS', { ProductFields: [pf(FIELD.tool, 'sca', 'NOT_EQUALS')] }, [2, 3, 4, 5]],
    ['ProductFields CONTAINS', { ProductFields: [pf(FIELD.branch, 'feature', 'CONTAINS')] }, [5]],
    ['ProductFields NOT_CONTAINS', { ProductFields: [pf(FIELD.branch, 'feature', 'NOT_CONTAINS')] }, [0, 1, 2, 3, 4]],
    ['ProductFields of a key no finding has', { ProductFields: [pf('devsecops/Nope', 'x', 'EQUALS')] }, []],
    ['UserDefinedFields EQUALS', { UserDefinedFields: [pf('ticket', 'SEC-5', 'EQUALS')] }, [5]],
    ['ResourceTags EQUALS', { ResourceTags: [pf('team', 'blue', 'EQUALS')] }, [3, 4, 5]],
    ['ProductFields with RecordState (a scope query)', { ProductFields: [pf(FIELD.tool, 'sca', 'EQUALS')], RecordState: [eq('ACTIVE')] }, [0]],
  ])('%s', async (_name, filters, expected) => {
    // act
    const found = await matching(filters);

    // assert
    expect(found).toEqual(expected);
  });
});

describe('GetFindings date, number and boolean filters', () => {
  it.each<[string, AwsSecurityFindingFilters, number[]]>([
    ['UpdatedAt between Start and End', { UpdatedAt: [{ Start: '2026-11-11T00:00:00Z', End: '2026-11-13T00:00:00Z' }] }, [1, 2, 3]],
    ['CreatedAt from Start', { CreatedAt: [{ Start: '2026-11-14T00:00:00Z' }] }, [4, 5]],
    ['UpdatedAt within the last 2 days (server clock 2026-11-16)', { UpdatedAt: [{ DateRange: { Value: 2, Unit: 'DAYS' } }] }, [4, 5]],
    ['Confidence Gte/Lt', { Confidence: [{ Gte: 20, Lt: 40 }] }, [2, 3]],
    ['SeverityNormalized Eq, OR across filters', { SeverityNormalized: [{ Eq: 90 }, { Eq: 0 }] }, [0, 4]],
    ['Sample false', { Sample: [{ Value: false }] }, [0, 1, 2, 3, 4, 5]],
  ])('%s', async (_name, filters, expected) => {
    // act
    const found = await matching(filters);

    // assert
    expect(found).toEqual(expected);
  });
});

describe('GetFindings sorting', () => {
  it('sorts by SortCriteria, with ties broken by creation order', async () => {
    // act
    const bySeverity = await matching({}, [{ Field: 'SeverityNormalized', SortOrder: 'desc' }]);
    const byUpdated = await matching({}, [{ Field: 'UpdatedAt', SortOrder: 'desc' }]);

    // assert
    expect(bySeverity).toEqual([0, 1, 5, 2, 3, 4]);
    expect(byUpdated).toEqual([5, 4, 3, 2, 1, 0]);
  });
});

describe('GetFindings filter errors', () => {
  it.each<[string, AwsSecurityFindingFilters]>([
    ['CONTAINS with NOT_CONTAINS on one field', { Title: [{ Value: 'a', Comparison: 'CONTAINS' }, { Value: 'b', Comparison: 'NOT_CONTAINS' }] }],
    ['EQUALS with NOT_EQUALS on one field', { RecordState: [eq('ACTIVE'), { Value: 'ARCHIVED', Comparison: 'NOT_EQUALS' }] }],
    ['a filter without Comparison', { RecordState: [{ Value: 'ACTIVE' }] }],
    ['an attribute securityhub-local does not implement', { Keyword: [{ Value: 'x' }] }],
    ['more than 20 values for one attribute', { Id: Array.from({ length: 21 }, (_, i) => eq(`id-${i}`)) }],
    [
      'more than 10 attributes',
      Object.fromEntries(
        ['Id', 'GeneratorId', 'Title', 'Description', 'ProductName', 'CompanyName', 'Region', 'RecordState', 'SeverityLabel', 'AwsAccountId', 'ProductArn'].map((k) => [
          k,
          [{ Value: 'x', Comparison: 'PREFIX' }],
        ]),
      ),
    ],
    ['a DateFilter without bounds', { UpdatedAt: [{}] }],
  ])('rejects %s with InvalidInputException', async (_name, filters) => {
    // act
    const call = client.send(new GetFindingsCommand({ Filters: filters }));

    // assert
    await expect(call).rejects.toBeInstanceOf(InvalidInputException);
  });
});
