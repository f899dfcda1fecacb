import { readFileSync } from 'node:fs';
import { findingId, type FindingDraft } from '@devsecops/asff';
import { ReportError } from '@devsecops/report-input';
import { testScope } from '@devsecops/test-support';
import { checkFindings, fixtureDoc, fixturePath, jsonDoc } from './__fixtures__/support';
import { sarifParser } from './sarif-parser';

interface SarifLike {
  runs: Array<{ results: unknown[] }>;
}
const fixtureValue = (name: string): SarifLike => JSON.parse(readFileSync(fixturePath(name), 'utf8'));
const byTitle = (drafts: readonly FindingDraft[], fragment: string): FindingDraft => {
  const found = drafts.filter((d) => d.title.includes(fragment));
  if (found.length !== 1) throw new Error(`${found.length} drafts match ${fragment}`);
  return found[0]!;
};

function oneResult(result: Record<string, unknown>, rules: unknown[] = [], extra: Record<string, unknown> = {}): ReturnType<typeof jsonDoc> {
  return jsonDoc({ version: '2.1.0', runs: [{ tool: { driver: { name: 'Tool', rules } }, results: [result], ...extra }] });
}

describe('sarifParser.parse: several runs and tools', () => {
  const report = sarifParser.parse(fixtureDoc('multi-run.sarif'));
  const drafts = report.drafts;

  it('reads every run: one finding per result and location, non-fail kinds skipped', () => {
    // Act
    const { problems, duplicateIds } = checkFindings(report);

    // Assert
    expect(report.tool).toBe('codeql+semgrep');
    expect(report.toolVersion).toBeUndefined();
    expect(drafts).toHaveLength(11);
    expect(report.stats).toMatchObject({ runs: 2, results: 12, skippedNotFail: 2, suppressed: 1, resolved: 1, findings: 11 });
    expect(report.warnings).toEqual(['Semgrep OSS reports executionSuccessful=false: its results may be incomplete']);
    expect(problems).toEqual([]);
    expect(duplicateIds).toEqual([]);
  });

  it('prefers security-severity to the level and keeps the value as Original', () => {
    // Act
    const xss = byTitle(drafts, 'Cross-site scripting');
    const inline = byTitle(drafts, 'inline scripts');

    // Assert
    expect(xss.severity).toEqual({ label: 'MEDIUM', original: '6.1' });
    expect(inline.severity).toEqual({ label: 'MEDIUM', original: '6.1' });
    expect(xss.productFields?.['level']).toBe('error');
  });

  it('maps levels from the result, then the rule default, then warning', () => {
    // Act
    const severities = ['Hard-coded password', 'Hard-coded token', 'Hard-coded key'].map((t) => byTitle(drafts, t).severity);

    // Assert
    expect(severities).toEqual([
      { label: 'HIGH', original: 'error' },
      { label: 'INFORMATIONAL', original: 'none' },
      { label: 'MEDIUM', original: 'warning' },
    ]);
  });

  it('resolves chained uriBaseIds, artifact indexes, CI workspaces and percent-encoding to repo paths', () => {
    // Act
    const places = drafts.map((d) => d.resources[0]!.Id);

    // Assert
    expect(byTitle(drafts, 'Cross-site scripting').title).toBe('Cross-site scripting vulnerability due to user-provided value. (web/routes/search.js:14)');
    expect(places).toEqual(
      expect.arrayContaining(['web/routes/search.js', 'web/db/query.js', 'config/my settings.php', 'tests/fixtures/token.php', 'src/Keys.php', 'csp-policy']),
    );
    expect(JSON.stringify(drafts)).not.toMatch(/home\/runner|file:|\/builds\//);
  });

  it('gives a result with two locations two findings with distinct Ids from one versioned fingerprint', () => {
    // Act
    const sql = drafts.filter((d) => d.ruleId === 'js/sql-injection');

    // Assert
    expect(sql.map((d) => d.location)).toEqual(['web/routes/search.js:30', 'web/db/query.js:8']);
    expect(sql.map((d) => d.productFields?.['fingerprint'])).toEqual(['queryHash/v2=new-hash', 'queryHash/v2=new-hash']);
    expect(sql[0]!.identity).toBe('js/sql-injection|web/routes/search.js|queryHash/v2=new-hash');
    expect(new Set(sql.map((d) => findingId(testScope(), d))).size).toBe(2);
  });

  it('finds extension rules through rule.toolComponent and fills message strings', () => {
    // Act
    const sql = drafts.find((d) => d.ruleId === 'js/sql-injection')!;

    // Assert
    expect(sql.title).toBe('This query depends on a user-provided value; see {docs}. (web/routes/search.js:30)');
    expect(sql.severity).toEqual({ label: 'HIGH', original: '8.8' });
    expect(sql.productFields?.['cwe']).toBe('CWE-89');
    expect(sql.remediation).toEqual({ text: 'Use query parameters instead of string concatenation.', url: 'https://codeql.github.com/codeql-query-help/javascript/js-sql-injection/' });
  });

  it('collects CWE ids from tags, relationships, properties and taxa, first one primary, no duplicates', () => {
    expect(byTitle(drafts, 'Cross-site scripting').productFields?.['cwe']).toBe('CWE-79, CWE-116');
    expect(byTitle(drafts, 'inline scripts').productFields?.['cwe']).toBe('CWE-79, CWE-116, CWE-693, CWE-1021');
    expect(byTitle(drafts, 'Hard-coded key').productFields?.['cwe']).toBe('CWE-798');
    expect(byTitle(drafts, 'Hard-coded key').productFields?.['tags']).toBe('OWASP-A07:2021 - Identification and Authentication Failures, security');
  });

  it('suppresses accepted (or status-less) suppressions only; absent results are resolved', () => {
    // Act
    const states = Object.fromEntries(
      ['tmp', 'old', 'legacy', 'gone'].map((v) => {
        const d = byTitle(drafts, `Unused variable ${v}`);
        return [v, `${d.state ?? 'ACTIVE'}|${d.stateReason ?? ''}|${d.productFields?.['suppressionStatus'] ?? ''}`];
      }),
    );

    // Assert
    expect(states).toEqual({
      tmp: 'ACTIVE||underReview',
      old: 'ACTIVE||rejected',
      legacy: 'SUPPRESSED|kept for the plugin API|accepted',
      gone: 'RESOLVED|absent from this run (baselineState absent)|',
    });
  });

  it('names the real tool in ProductFields', () => {
    expect(byTitle(drafts, 'Hard-coded key').productFields).toMatchObject({ tool: 'Semgrep OSS', toolVersion: '1.90.0' });
    expect(byTitle(drafts, 'Cross-site scripting').productFields).toMatchObject({ tool: 'CodeQL', toolVersion: '2.20.1', precision: 'high' });
  });

  it('uses the repository as the resource of a finding without a file', () => {
    // Act
    const { findings } = checkFindings({ ...report, drafts: [{ ...byTitle(drafts, 'inline scripts'), resources: [{ Type: 'Other', Id: '' }] }] });

    // Assert
    expect(findings[0]!.Resources![0]!.Id).toBe(testScope().repository);
  });
});

describe('sarifParser.parse: container image scan (Trivy style)', () => {
  const report = sarifParser.parse(fixtureDoc('image-scan.sarif'));

  it('names the tool, records CVEs as vulnerabilities and keeps in-image paths', () => {
    // Act
    const [libssl] = report.drafts;

    // Assert
    expect([report.tool, report.toolVersion]).toEqual(['trivy', '0.58.0']);
    expect(libssl).toMatchObject({
      ruleId: 'CVE-2023-0286',
      severity: { label: 'HIGH', original: '7.4' },
      types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
      vulnerabilities: [{ Id: 'CVE-2023-0286', ReferenceUrls: ['https://avd.aquasec.com/nvd/cve-2023-0286'] }],
      remediation: { url: 'https://avd.aquasec.com/nvd/cve-2023-0286' },
    });
    expect(libssl!.description).toContain('At this location: library/shop: libssl3@3.0.2-0ubuntu1.7');
    expect(report.drafts[2]!.resources[0]!.Id).toBe('usr/lib/node_modules/left-pad/package.json');
  });

  it('falls back to the level when security-severity is unusable, with a warning, and drops a non-http helpUri', () => {
    // Act
    const leftPad = report.drafts[2]!;

    // Assert
    expect(leftPad.severity).toEqual({ label: 'MEDIUM', original: 'warning' });
    expect(leftPad.remediation).toBeUndefined();
    expect(report.warnings).toContain('CVE-2024-0001: unusable security-severity "n/a"');
  });

  it('tells results at the same place apart by message, then by order, and says so', () => {
    // Act
    const { duplicateIds } = checkFindings(report);

    // Assert
    expect(duplicateIds).toEqual([]);
    expect(report.drafts.map((d) => d.location)).toEqual([
      expect.stringMatching(/^library\/shop:1~m:[0-9a-f]{12}$/),
      expect.stringMatching(/^library\/shop:1~m:[0-9a-f]{12}$/),
      expect.stringMatching(/^usr\/lib\/node_modules\/left-pad\/package\.json:1~m:[0-9a-f]{12}$/),
      expect.stringMatching(/^usr\/lib\/node_modules\/left-pad\/package\.json:1~m:[0-9a-f]{12}~2$/),
    ]);
    expect(report.warnings).toContain('4 finding(s) shared rule and location: told apart by a digest of their message, 1 of them also by report order');
  });

  it('keeps message-based Ids when the report order changes', () => {
    // Arrange
    const reversed = fixtureValue('image-scan.sarif');
    reversed.runs[0]!.results = reversed.runs[0]!.results.slice(0, 2).reverse();
    const idsByPackage = (drafts: FindingDraft[]) => Object.fromEntries(drafts.map((d) => [d.title.slice(0, 18), findingId(testScope(), d)]));

    // Act
    const original = idsByPackage(report.drafts.slice(0, 2));
    const swapped = idsByPackage(sarifParser.parse(jsonDoc(reversed)).drafts);

    // Assert
    expect(swapped).toEqual(original);
  });
});

describe('sarifParser.parse: CodeQL (trimmed from a real report)', () => {
  const report = sarifParser.parse(fixtureDoc('codeql-trimmed.sarif'));

  it('reads levels from rule defaults and keeps copied code in two files apart', () => {
    // Act
    const { problems, duplicateIds } = checkFindings(report);

    // Assert
    expect(report.drafts.map((d) => d.severity.label)).toEqual(['LOW', 'LOW', 'HIGH', 'HIGH', 'MEDIUM']);
    expect(report.drafts[0]!.productFields?.['fingerprint']).toBe(report.drafts[1]!.productFields?.['fingerprint']);
    expect(duplicateIds).toEqual([]);
    expect(problems).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('turns related-location links into plain text and takes CWE from zero-padded tags', () => {
    // Act
    const call = report.drafts.find((d) => d.ruleId === 'py/call/wrong-named-argument')!;

    // Assert
    expect(call.title).toBe("Keyword argument 'request' is not a supported parameter name of function create. (good/mod_user.py:33)");
    expect(report.drafts.find((d) => d.ruleId === 'py/empty-except')!.productFields?.['cwe']).toBe('CWE-390');
  });

  it('keeps every Id when lines shift', () => {
    // Arrange
    const shifted = JSON.parse(JSON.stringify(fixtureValue('codeql-trimmed.sarif')).replace(/"startLine": ?(\d+)/g, (_m, n: string) => `"startLine":${Number(n) + 3}`));

    // Act
    const before = report.drafts.map((d) => findingId(testScope(), d));
    const after = sarifParser.parse(jsonDoc(shifted)).drafts.map((d) => findingId(testScope(), d));

    // Assert
    expect(after).toEqual(before);
  });
});

describe('sarifParser.parse: identity without fingerprints', () => {
  const at = (line: number, snippet?: string) =>
    oneResult({
      ruleId: 'r1',
      message: { text: 'Problem.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.php' }, region: { startLine: line, ...(snippet ? { snippet: { text: snippet } } : {}) } } }],
    });
  const idOf = (doc: ReturnType<typeof jsonDoc>) => findingId(testScope(), sarifParser.parse(doc).drafts[0]!);

  it('uses the snippet, so a line shift keeps the Id', () => {
    expect(idOf(at(10, '$a = $b;'))).toBe(idOf(at(42, '  $a  = $b;')));
    expect(sarifParser.parse(at(10, '$a = $b;')).drafts[0]!.location).toMatch(/^src\/a\.php#[0-9a-f]{16}$/);
  });

  it('uses path and start line when there is no snippet', () => {
    expect(sarifParser.parse(at(10)).drafts[0]!.location).toBe('src/a.php:10');
    expect(idOf(at(10))).not.toBe(idOf(at(11)));
  });
});

describe('sarifParser.parse: edge cases', () => {
  it('gives a result without locations one finding named after its rule description when it has no message', () => {
    // Act
    const report = sarifParser.parse(oneResult({ ruleIndex: 0 }, [{ id: 'R9', shortDescription: { text: 'Insecure default' } }]));

    // Assert
    expect(report.drafts).toHaveLength(1);
    expect(report.drafts[0]).toMatchObject({ ruleId: 'R9', title: 'Insecure default', location: 'no-location', resources: [{ Id: '' }] });
    expect(checkFindings(report).problems).toEqual([]);
  });

  it('names a rule-less result sarif.result and a nameless driver "sarif"', () => {
    // Act
    const report = sarifParser.parse(jsonDoc({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ message: { text: 'x' } }] }] }));

    // Assert
    expect(report.tool).toBe('sarif');
    expect(report.drafts[0]!.ruleId).toBe('sarif.result');
  });

  it('treats results: null as a run with no results', () => {
    expect(sarifParser.parse(jsonDoc({ version: '2.1.0', runs: [{ tool: { driver: { name: 'X' } }, results: null }] })).drafts).toEqual([]);
  });

  it('makes absolute paths repo-relative with ParseOptions.sourceRoots', () => {
    // Arrange
    const doc = oneResult({ ruleId: 'r', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///home/dev/work/portal/frontend/src/App.tsx' } } }] });

    // Act
    const withRoot = sarifParser.parse(doc, { sourceRoots: ['/home/dev/work/portal'] }).drafts[0]!;
    const inferred = sarifParser.parse(doc).drafts[0]!;

    // Assert
    expect(withRoot.location).toBe('frontend/src/App.tsx');
    expect(inferred.location).toBe('src/App.tsx');
  });

  it('keeps web URLs as the location', () => {
    // Act
    const draft = sarifParser.parse(oneResult({ ruleId: 'r', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'https://shop.example/login' } } }] })).drafts[0]!;

    // Assert
    expect(draft.location).toBe('https://shop.example/login');
  });

  it('reports an unknown level and counts it as warning', () => {
    // Act
    const report = sarifParser.parse(oneResult({ ruleId: 'r', level: 'fatal', message: { text: 'm' } }), { qualityRulesAsSecurity: true });

    // Assert
    expect(report.drafts[0]!.severity).toEqual({ label: 'MEDIUM', original: 'warning' });
    expect(report.warnings).toEqual(['r: unknown level "fatal" counted as warning']);
  });

  it.each([
    ['a list', []],
    ['an object without runs', { version: '2.1.0' }],
    ['runs that is not a list', { version: '2.1.0', runs: {} }],
    ['a run that is not an object', { version: '2.1.0', runs: [1] }],
    ['results that is not a list', { version: '2.1.0', runs: [{ results: 'x' }] }],
    ['SARIF 1.0', { version: '1.0.0', runs: [] }],
  ])('refuses %s with a ReportError', (_case, value) => {
    expect(() => sarifParser.parse(jsonDoc(value, 'bad.sarif'))).toThrow(ReportError);
  });
});

describe('sarifParser.detect', () => {
  it.each([
    ['version and runs', { version: '2.1.0', runs: [] }],
    ['a SARIF $schema and runs', { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [] }],
  ])('claims %s', (_case, value) => {
    expect(sarifParser.detect(jsonDoc(value))).toBe(true);
  });

  it.each([
    ['no runs', { version: '2.1.0' }],
    ['runs without version or schema', { runs: [] }],
    ['PHPStan JSON', { totals: { errors: 0, file_errors: 0 }, files: [], errors: [] }],
    ['a list', [{ version: '2.1.0', runs: [] }]],
  ])('does not claim %s', (_case, value) => {
    expect(sarifParser.detect(jsonDoc(value))).toBe(false);
  });

  it('does not claim XML', () => {
    expect(sarifParser.detect({ ...jsonDoc({ version: '2.1.0', runs: [] }), format: 'xml' })).toBe(false);
  });
});
