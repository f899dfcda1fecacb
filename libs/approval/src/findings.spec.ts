import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { FIELD } from '@devsecops/asff';
import { mockClient } from 'aws-sdk-client-mock';
import { COMMIT, TARGET, scanFinding } from './__fixtures__/approval';
import { readRevisionFindings, revisionFilters, summarizeRevision } from './findings';

const scope = { repository: 'patient-portal', branch: 'main', commit: COMMIT };
const securityHub = mockClient(SecurityHubClient);
const client = new SecurityHubClient({ region: 'us-east-1' });

beforeEach(() => securityHub.reset());

function countingLimiter() {
  const limiter = { acquired: 0, acquire: async () => void (limiter.acquired += 1), drain: () => undefined };
  return limiter;
}

describe('revisionFilters', () => {
  it('asks for ACTIVE findings of our product for repository, branch and commit', () => {
    expect(revisionFilters(scope, TARGET)).toEqual({
      ProductArn: [{ Value: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default', Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      ProductFields: [
        { Key: FIELD.repository, Value: 'patient-portal', Comparison: 'EQUALS' },
        { Key: FIELD.branch, Value: 'main', Comparison: 'EQUALS' },
        { Key: FIELD.commit, Value: COMMIT, Comparison: 'EQUALS' },
      ],
    });
  });
});

describe('readRevisionFindings', () => {
  it('reads every page, each through the rate limiter, and keeps only active findings of this revision', async () => {
    // Arrange
    const suppressed = { ...scanFinding(3, 'HIGH'), Workflow: { Status: 'SUPPRESSED' as const } };
    const otherCommit = scanFinding(4, 'CRITICAL', { commit: 'f'.repeat(40) });
    securityHub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [scanFinding(1, 'CRITICAL'), suppressed], NextToken: 'p2' })
      .resolvesOnce({ Findings: [scanFinding(2, 'LOW'), otherCommit], NextToken: 'p3' })
      .resolvesOnce({ Findings: [] });
    const limiter = countingLimiter();
    // Act
    const result = await readRevisionFindings(client, scope, TARGET, { limiter, maxPages: 10 });
    // Assert
    expect(result.complete).toBe(true);
    expect(result.pages).toBe(3);
    expect(limiter.acquired).toBe(3);
    expect(result.findings.map((f) => f.Title)).toEqual(['Problem 1 (critical)', 'Problem 2 (low)']);
    expect(securityHub.commandCalls(GetFindingsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'p2', 'p3']);
    expect(securityHub.commandCalls(GetFindingsCommand)[0]!.args[0].input.MaxResults).toBe(100);
  });

  it('stops at the page limit and says the result is incomplete', async () => {
    // Arrange
    securityHub.on(GetFindingsCommand).resolves({ Findings: [scanFinding(1, 'HIGH')], NextToken: 'more' });
    // Act
    const result = await readRevisionFindings(client, scope, TARGET, { limiter: countingLimiter(), maxPages: 2 });
    // Assert
    expect(result).toMatchObject({ complete: false, pages: 2 });
    expect(result.findings).toHaveLength(2);
  });

  it('stops at the deadline', async () => {
    securityHub.on(GetFindingsCommand).resolves({ Findings: [], NextToken: 'more' });
    let now = 0;
    const result = await readRevisionFindings(client, scope, TARGET, {
      limiter: { acquire: async () => void (now += 600), drain: () => undefined },
      maxPages: 100,
      deadline: 1000,
      clock: () => now,
    });
    expect(result).toMatchObject({ complete: false, pages: 2 });
  });

  it('lets an API failure propagate for the caller to report', async () => {
    securityHub.on(GetFindingsCommand).rejects(Object.assign(new Error('Security Hub is not enabled'), { name: 'InvalidAccessException' }));
    await expect(readRevisionFindings(client, scope, TARGET, { limiter: countingLimiter(), maxPages: 5 })).rejects.toMatchObject({ name: 'InvalidAccessException' });
  });
});

describe('summarizeRevision', () => {
  it('counts by severity and by tool and lists the most severe first', () => {
    // Arrange
    const findings = [
      scanFinding(1, 'LOW', { tool: 'sonarqube' }),
      scanFinding(2, 'CRITICAL', { tool: 'zap' }),
      scanFinding(3, 'HIGH', { tool: 'sonarqube' }),
      scanFinding(4, 'CRITICAL', { tool: 'dependency-check' }),
    ];
    // Act
    const summary = summarizeRevision(findings, TARGET, 3);
    // Assert
    expect(summary.total).toBe(4);
    expect(summary.bySeverity).toMatchObject({ CRITICAL: 2, HIGH: 1, LOW: 1, MEDIUM: 0 });
    expect(summary.byTool.sonarqube).toMatchObject({ HIGH: 1, LOW: 1 });
    expect(summary.top.map((t) => `${t.severity} ${t.tool}`)).toEqual(['CRITICAL dependency-check', 'CRITICAL zap', 'HIGH sonarqube']);
    expect(summary.top[0]!.consoleUrl).toContain('https://console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id');
    expect(summary.top[0]!.resource).toBe('patient-portal/src/file-4.php');
  });

  it('uses the severity a person set in Security Hub over the provider one', () => {
    const triaged = { ...scanFinding(1, 'CRITICAL'), Severity: { Label: 'LOW' as const } };
    expect(summarizeRevision([triaged], TARGET, 1).bySeverity).toMatchObject({ CRITICAL: 0, LOW: 1 });
  });
});
