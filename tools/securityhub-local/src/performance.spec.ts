import { GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { FIELD, clientFor, finding } from './__fixtures__/findings';
import { startSecurityHubLocal } from './index';

const TOOLS = ['sca', 'sast', 'dast', 'iac', 'secrets'];
const REPOSITORIES = 10;

/** 50,000 findings over 5 tools × 10 repositories, a seventh archived; variants of one built finding, to keep setup fast. */
function manyFindings(count: number): AwsSecurityFinding[] {
  const template = finding(0);
  return Array.from({ length: count }, (_, i) => ({
    ...template,
    Id: `${template.Id}-${i}`,
    Title: `Problem ${i}`,
    RecordState: i % 7 === 0 ? 'ARCHIVED' : 'ACTIVE',
    ProductFields: { ...template.ProductFields, [FIELD.tool]: TOOLS[i % TOOLS.length]!, [FIELD.repository]: `repo-${i % REPOSITORIES}` },
  }));
}

// How fast the store answers is measured by `npm run bench -- --only store`, never here: a timed assertion fails on a
// busy machine whatever the code does.
describe('a store of 50,000 findings', () => {
  it('answers scope queries and pages through them, and a full scan finds the right findings', async () => {
    // arrange
    const local = await startSecurityHubLocal({ throttling: false });
    const client = clientFor(local.endpoint);
    const seeded = local.importFindings(manyFindings(50_000));
    const scope = {
      ProductFields: [
        { Key: FIELD.tool, Value: 'iac', Comparison: 'EQUALS' as const },
        { Key: FIELD.repository, Value: 'repo-3', Comparison: 'EQUALS' as const },
      ],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' as const }],
    };

    // act: the first page runs the query over the store; later pages read the snapshot
    const first = await client.send(new GetFindingsCommand({ Filters: scope }));
    let pages = 1;
    let total = first.Findings!.length;
    let token = first.NextToken;
    while (token) {
      const page = await client.send(new GetFindingsCommand({ Filters: scope, NextToken: token }));
      total += page.Findings!.length;
      token = page.NextToken;
      pages += 1;
    }
    const scan = await client.send(new GetFindingsCommand({ Filters: { Title: [{ Value: 'Problem 4999', Comparison: 'PREFIX' }] } }));
    client.destroy();
    await local.close();

    // assert: repo-3 (i ≡ 3 mod 10) is always tool iac (i ≡ 3 mod 5); minus the archived i ≡ 0 mod 7.
    expect(seeded.FailedCount).toBe(0);
    expect(total).toBe(Array.from({ length: 50_000 }, (_, i) => i).filter((i) => i % 10 === 3 && i % 7 !== 0).length);
    expect(pages).toBe(Math.ceil(total / 100));
    expect(scan.Findings!.map((f) => f.Title)).toEqual(['Problem 4999', ...Array.from({ length: 10 }, (_, i) => `Problem 4999${i}`)]);
  }, 120_000);
});
