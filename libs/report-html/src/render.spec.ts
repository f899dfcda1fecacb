import type { AwsSecurityFinding } from '@devsecops/asff';
import { NOW, sampleFindings } from './__fixtures__/sample-findings';
import { buildReportModel } from './model';
import { CONTENT_SECURITY_POLICY, renderHtmlReport } from './render';

const findings = sampleFindings();
const blocking = findings.filter((f) => f.RecordState === 'ACTIVE' && ['HIGH', 'CRITICAL'].includes(f.Severity?.Label ?? '')).map((f) => f.Id!);

describe('the report model from real-format reports of the sample application', () => {
  it('gives every finding one row, blocking ones first, with where it is and why it matters', () => {
    // Act
    const model = buildReportModel({ title: 't', generatedAt: NOW, findings, blockingIds: blocking, region: 'eu-west-1' });

    // Assert
    expect(model.rows).toHaveLength(findings.length);
    expect(model.rows.slice(0, blocking.length).every((r) => r.blocking)).toBe(true);
    const log4shell = model.rows.find((r) => r.cves.some((c) => c.text === 'CVE-2021-44228'))!;
    expect(log4shell).toMatchObject({ severity: 'CRITICAL', status: 'active', packageName: expect.stringContaining('log4j-core'), cves: [{ text: 'CVE-2021-44228', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' }] });
    expect(log4shell.location).toMatch(/log4j-core@2\.14\.1 → /);
    expect(log4shell.cvss).toMatch(/^10(\.0)? \(CVSS 3/);
    expect(log4shell.consoleUrl).toContain('region=eu-west-1');
  });

  it('says what is new since the previous run only when a previous run is known', () => {
    // Arrange
    const previous = findings.slice(1).map((f) => f.Id!);

    // Act
    const withPrevious = buildReportModel({ title: 't', generatedAt: NOW, findings, previousActiveIds: previous });
    const without = buildReportModel({ title: 't', generatedAt: NOW, findings });

    // Assert
    expect(withPrevious.rows.filter((r) => r.isNew).map((r) => r.id)).toEqual(findings[0]!.RecordState === 'ACTIVE' ? [findings[0]!.Id] : []);
    expect(without.rows.some((r) => r.isNew)).toBe(false);
    expect(without.hasPrevious).toBe(false);
  });

  it('shows suppressed findings with the reason, owner and expiry of the decision', () => {
    // Arrange
    const target = findings.find((f) => f.RecordState === 'ACTIVE')!;
    const suppressed: AwsSecurityFinding = { ...target, Workflow: { Status: 'SUPPRESSED' }, Note: { Text: 'not reachable: admin only', UpdatedBy: 'sec-team', UpdatedAt: NOW } };

    // Act
    const fromHub = buildReportModel({ title: 't', generatedAt: NOW, findings: [suppressed] }).rows[0]!;
    const fromFile = buildReportModel({ title: 't', generatedAt: NOW, findings: [suppressed], suppressions: { [target.Id!]: { reason: 'accepted risk', owner: 'alice', expires: '2027-01-31', source: '.devsecops/suppressions.yaml' } } }).rows[0]!;

    // Assert
    expect(fromHub).toMatchObject({ status: 'suppressed', suppression: { reason: 'not reachable: admin only', owner: 'sec-team', source: 'Security Hub' } });
    expect(fromFile.suppression).toEqual({ reason: 'accepted risk', owner: 'alice', expires: '2027-01-31', source: '.devsecops/suppressions.yaml' });
  });
});

describe('renderHtmlReport', () => {
  const html = renderHtmlReport({
    title: 'patient-portal',
    generatedAt: NOW,
    findings,
    blockingIds: blocking,
    verdicts: [{ stage: 'Scan', passed: false, blocking: blocking.length, failOn: 'HIGH', consequence: 'stopped before staging' }],
  });

  it('puts the gate verdict first', () => {
    // Act
    const verdictAt = html.indexOf('id="verdict"');

    // Assert
    expect(verdictAt).toBeGreaterThan(0);
    expect(verdictAt).toBeLessThan(html.indexOf('id="counts"'));
    expect(html).toContain(`<strong>Scan</strong>: FAILED (${blocking.length} blocking, fail on HIGH) → stopped before staging`);
  });

  it('is self-contained: no external script, style, image or font, and a strict policy', () => {
    // Act
    const tagsWithSources = [...html.matchAll(/<[a-z][^>]*\s(?:src|srcset|href)\s*=\s*"(?!https:\/\/|#)[^"]*"/gi), ...html.matchAll(/<link\b/gi)];
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;

    // Assert
    expect(tagsWithSources).toEqual([]);
    expect(style).not.toMatch(/url\(|@import/);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+';/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('escapes hostile text everywhere and never puts it in a link', () => {
    // Arrange
    const hostile: AwsSecurityFinding = { ...findings[0]!, Id: 'x"><img src=x onerror=alert(1)>', Title: '<script>alert(1)</script>', Description: '</textarea><svg onload=alert(1)>' };

    // Act
    const page = renderHtmlReport({ title: '<b>t</b>', generatedAt: NOW, findings: [hostile], region: 'eu-west-1' });

    // Assert
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('<svg onload');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect([...page.matchAll(/href="([^"]*)"/g)].every((m) => /^(https:\/\/|#)/.test(m[1]!))).toBe(true);
  });
});
