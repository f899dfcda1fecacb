import { BatchUpdateFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { FIELD } from '@devsecops/asff';
import { mockClient } from 'aws-sdk-client-mock';
import { SCOPE, findings } from './__fixtures__/findings';
import { applyDecisionUpdates, decisionsFromImport, readOpenFingerprints, type WorkflowChange } from './decisions';

const client = new SecurityHubClient({ region: 'us-east-1', maxAttempts: 1 });
const mock = mockClient(client);
const instant = { clock: () => 0, sleep: async () => undefined, random: () => 0 };

beforeEach(() => mock.reset());

function changes(n: number, note = 'Suppressed by s.yaml:3: r · owner o · expires 2027-01-01'): WorkflowChange[] {
  return Array.from({ length: n }, (_, i) => ({ id: `id-${i}`, productArn: 'arn:p', status: 'SUPPRESSED' as const, note }));
}

describe('applyDecisionUpdates', () => {
  it('sends at most 100 identifiers per call, one call per status and Note, with the Note and its author', async () => {
    mock.on(BatchUpdateFindingsCommand).callsFake((input) => ({ ProcessedFindings: input.FindingIdentifiers, UnprocessedFindings: [] }));
    const result = await applyDecisionUpdates({ client, changes: [...changes(150), { id: 'x', productArn: 'arn:p', status: 'NEW', note: 'Suppression expired' }], updatedBy: 'devsecops-suppressions', ...instant });
    const calls = mock.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.FindingIdentifiers!.length)).toEqual([100, 50, 1]);
    expect(calls[0]).toMatchObject({ Workflow: { Status: 'SUPPRESSED' }, Note: { Text: 'Suppressed by s.yaml:3: r · owner o · expires 2027-01-01', UpdatedBy: 'devsecops-suppressions' } });
    expect(calls[2]).toMatchObject({ Workflow: { Status: 'NEW' }, Note: { Text: 'Suppression expired' } });
    expect(result.updated).toHaveLength(151);
    expect(result.apiCalls).toBe(3);
  });

  it('retries ConcurrentUpdateError findings in a later call and reports permanent failures', async () => {
    mock
      .on(BatchUpdateFindingsCommand)
      .resolvesOnce({
        ProcessedFindings: [{ Id: 'id-0', ProductArn: 'arn:p' }],
        UnprocessedFindings: [
          { FindingIdentifier: { Id: 'id-1', ProductArn: 'arn:p' }, ErrorCode: 'ConcurrentUpdateError', ErrorMessage: 'busy' },
          { FindingIdentifier: { Id: 'id-2', ProductArn: 'arn:p' }, ErrorCode: 'FindingNotFound', ErrorMessage: 'gone' },
        ],
      })
      .resolves({ ProcessedFindings: [{ Id: 'id-1', ProductArn: 'arn:p' }], UnprocessedFindings: [] });
    const result = await applyDecisionUpdates({ client, changes: changes(3), updatedBy: 'g', ...instant });
    expect(result.updated).toEqual(['id-0', 'id-1']);
    expect(result.failed).toEqual([{ id: 'id-2', code: 'FindingNotFound', message: 'gone' }]);
    expect(mock.commandCalls(BatchUpdateFindingsCommand)[1]!.args[0].input.FindingIdentifiers).toEqual([{ Id: 'id-1', ProductArn: 'arn:p' }]);
  });

  it('makes no call when no decision must change', async () => {
    const result = await applyDecisionUpdates({ client, changes: [], updatedBy: 'g', ...instant });
    expect(result.apiCalls).toBe(0);
    expect(mock.calls()).toHaveLength(0);
  });
});

describe('decisionsFromImport and readOpenFingerprints', () => {
  it('says the decisions are unavailable when the scope could not be read', () => {
    const built = findings(2);
    const result = { states: new Map(), ids: { imported: [], unchanged: [], archived: [], reactivated: [], created: [] }, archivedFindings: [], failed: built.map((f) => ({ id: f.Id!, code: 'AccessDenied', message: 'Reading stored findings failed: denied' })) };
    expect(decisionsFromImport(result, built).unavailable).toBe('AccessDenied: Reading stored findings failed: denied');
  });

  it('reads the ACTIVE findings of the base scope, all pages, computing missing fingerprints', async () => {
    const [a, b] = findings(2);
    const { [FIELD.fingerprint]: _drop, ...legacyFields } = b!.ProductFields!;
    mock.on(GetFindingsCommand).resolvesOnce({ Findings: [a!], NextToken: 't' }).resolves({ Findings: [{ ...b!, ProductFields: legacyFields }] });
    const read = await readOpenFingerprints(client, SCOPE, instant);
    expect(read).toEqual({ status: 'ok', pages: 2, fingerprints: new Set([a!.ProductFields![FIELD.fingerprint], b!.ProductFields![FIELD.fingerprint]]) });
    expect(mock.commandCalls(GetFindingsCommand)[0]!.args[0].input.Filters!.RecordState).toEqual([{ Value: 'ACTIVE', Comparison: 'EQUALS' }]);
  });
});
