import { findingId } from '@devsecops/asff';
import { ReportError } from '@devsecops/report-input';
import { testScope } from '@devsecops/test-support';
import { asffProblems, fixture, jsonDoc } from './__fixtures__/load';
import { sonarqubeParser } from './parser';

const SERVER = 'https://sonar.example.com';

function byKey(report: ReturnType<typeof sonarqubeParser.parse>, key: string) {
  const draft = report.drafts.find((d) => d.productFields?.Key === key);
  if (!draft) throw new Error(`no finding for ${key}`);
  return draft;
}

describe('sonarqubeParser.detect', () => {
  it.each([
    ['an issues page', { paging: { total: 0 }, issues: [] }],
    ['an old issues page (components, no paging)', { issues: [], components: [] }],
    ['a hotspots page', { paging: { total: 0 }, hotspots: [] }],
    ['an array of pages', [{ paging: {}, issues: [] }, { paging: {}, hotspots: [] }]],
    ['the sonarqube-client export', { serverUrl: SERVER, issues: { paging: {}, issues: [] }, hotspots: { paging: {}, hotspots: [] } }],
  ])('accepts %s', (_name, value) => {
    expect(sonarqubeParser.detect(jsonDoc(value))).toBe(true);
  });

  it.each([
    ['SARIF', { version: '2.1.0', runs: [] }],
    ['issues without paging or components', { issues: [] }],
    ['hotspots without paging', { hotspots: [] }],
    ['an empty array', []],
    ['an array with a foreign element', [{ paging: {}, issues: [] }, { runs: [] }]],
    ['PHPStan', { totals: { errors: 0, file_errors: 0 }, files: [], errors: [] }],
  ])('rejects %s', (_name, value) => {
    expect(sonarqubeParser.detect(jsonDoc(value))).toBe(false);
  });
});

describe('sonarqubeParser.parse: SonarQube 8.9 issues (legacy type and severity)', () => {
  const report = sonarqubeParser.parse(fixture('issues-sonarqube-8.9.json'), { serverUrl: `${SERVER}/` });

  it('gives one finding per issue except the code smell, all valid ASFF', () => {
    expect(report.drafts).toHaveLength(8);
    expect(report.stats).toMatchObject({ issues: 9, codeSmellsExcluded: 1, vulnerabilities: 5, bugs: 3, findings: 8 });
    expect(asffProblems(report)).toEqual([]);
  });

  it('maps legacy severities one step down (BLOCKER→CRITICAL … INFO→INFORMATIONAL), keeping the raw value', () => {
    expect(byKey(report, 'AXk1-open-sqli').severity).toEqual({ label: 'CRITICAL', original: 'BLOCKER' });
    expect(byKey(report, 'AXk4-false-positive').severity).toEqual({ label: 'HIGH', original: 'CRITICAL' });
    expect(byKey(report, 'AXk2-confirmed-npe').severity).toEqual({ label: 'MEDIUM', original: 'MAJOR' });
    expect(byKey(report, 'AXk9-info').severity).toEqual({ label: 'INFORMATIONAL', original: 'INFO' });
  });

  it('derives the state from status and resolution', () => {
    const states = Object.fromEntries(report.drafts.map((d) => [d.productFields?.Key, [d.state, d.stateReason]]));

    expect(states).toEqual({
      'AXk1-open-sqli': ['ACTIVE', undefined],
      'AXk2-confirmed-npe': ['ACTIVE', 'confirmed in SonarQube'],
      'AXk4-false-positive': ['SUPPRESSED', 'marked false positive in SonarQube: Only used for **UI shuffling**'],
      'AXk5-wontfix': ['SUPPRESSED', "accepted in SonarQube (won't fix)"],
      'AXk6-fixed': ['RESOLVED', 'fixed'],
      'AXk7-removed': ['RESOLVED', 'removed (the rule or the code is gone)'],
      'AXk8-reopened-project': ['ACTIVE', undefined],
      'AXk9-info': ['ACTIVE', undefined],
    });
    expect(report.stats).toMatchObject({ active: 4, suppressed: 2, resolved: 2 });
  });

  it('uses the Sonar key as identity, the rule as ruleId and the repo-relative path as the resource', () => {
    const sqli = byKey(report, 'AXk1-open-sqli');

    expect(sqli).toMatchObject({
      identity: 'AXk1-open-sqli',
      ruleId: 'javasecurity:S3649',
      location: 'src/main/java/com/acme/shop/Db.java',
      title: 'Change this code to not construct SQL queries directly from user-controlled data. (src/main/java/com/acme/shop/Db.java:42)',
      resources: [
        {
          Type: 'Other',
          Id: 'src/main/java/com/acme/shop/Db.java',
          Details: { Other: { path: 'src/main/java/com/acme/shop/Db.java', line: '42', project: 'acme:shop', component: 'acme:shop:src/main/java/com/acme/shop/Db.java' } },
        },
      ],
    });
    expect(sqli.productFields).toMatchObject({ OWASP: 'A1', Tags: 'cwe, owasp-a1, sans-top25-insecure', Branch: 'release/1.2' });
  });

  it('puts a project-level issue on the project key', () => {
    const project = byKey(report, 'AXk8-reopened-project');

    expect(project.resources[0]).toMatchObject({ Id: 'acme:shop', Details: { Other: { project: 'acme:shop', component: 'acme:shop' } } });
    expect(project.title).toBe('Revoke and change this password, as it is compromised.');
  });

  it('links each issue to SonarQube (with its branch) and each S-rule to its public description', () => {
    const sqli = byKey(report, 'AXk1-open-sqli');

    expect(sqli.sourceUrl).toBe(`${SERVER}/project/issues?id=acme%3Ashop&open=AXk1-open-sqli&branch=release%2F1.2`);
    expect(sqli.remediation?.url).toBe('https://rules.sonarsource.com/java/RSPEC-3649/');
  });

  it('says how many code smells were left out', () => {
    expect(report.warnings).toEqual(['1 code smell was left out: maintainability issues are not security findings (set includeCodeSmells to import them)']);
  });

  it('imports the code smell with includeCodeSmells', () => {
    const withSmells = sonarqubeParser.parse(fixture('issues-sonarqube-8.9.json'), { includeCodeSmells: true });

    expect(withSmells.drafts).toHaveLength(9);
    expect(byKey(withSmells, 'AXk3-smell').types).toEqual(['Software and Configuration Checks/Code Quality/Code Smell']);
    expect(withSmells.warnings).toEqual([]);
  });
});

describe('sonarqubeParser.parse: SonarQube 10 issues (impacts, clean code attribute, issueStatus)', () => {
  const report = sonarqubeParser.parse(fixture('issues-sonarqube-10-mqr.json'));

  it('prefers the SECURITY impact, else the most severe impact, over the legacy severity', () => {
    expect(byKey(report, 'm-1').severity).toEqual({ label: 'MEDIUM', original: 'MEDIUM' });
    expect(byKey(report, 'm-3').severity).toEqual({ label: 'HIGH', original: 'HIGH' });
    expect(byKey(report, 'm-5').severity).toEqual({ label: 'CRITICAL', original: 'BLOCKER' });
    expect(byKey(report, 'm-8').severity).toEqual({ label: 'INFORMATIONAL', original: 'INFO' });
    expect(byKey(report, 'm-1').productFields).toMatchObject({ Severity: 'CRITICAL', SeveritySource: 'impact', Impacts: 'SECURITY:MEDIUM, RELIABILITY:HIGH' });
  });

  it('counts a code smell with a SECURITY impact as a security finding and leaves out pure maintainability ones', () => {
    expect(byKey(report, 'm-2').types).toEqual(['Software and Configuration Checks/Vulnerabilities']);
    expect(report.drafts.some((d) => d.productFields?.Key === 'm-4')).toBe(false);
    expect(report.stats).toMatchObject({ codeSmells: 1, codeSmellsExcluded: 1 });
  });

  it('classifies an issue without type by its impacts', () => {
    expect(byKey(report, 'm-8').types).toEqual(['Software and Configuration Checks/Code Quality/Bug']);
  });

  it('reads issueStatus: ACCEPTED and FALSE_POSITIVE are suppressed, FIXED is resolved, IN_SANDBOX and CONFIRMED stay active', () => {
    expect(byKey(report, 'm-5').state).toBe('SUPPRESSED');
    expect(byKey(report, 'm-6').state).toBe('SUPPRESSED');
    expect(byKey(report, 'm-7').state).toBe('RESOLVED');
    expect(byKey(report, 'm-8').state).toBe('ACTIVE');
    expect(byKey(report, 'm-3')).toMatchObject({ state: 'ACTIVE', stateReason: 'confirmed in SonarQube' });
  });

  it('describes impacts and the clean code attribute', () => {
    expect(byKey(report, 'm-3').description).toBe(
      'Provide a compare function to avoid sorting elements alphabetically. SonarQube bug typescript:S2871 in src/ui/sort.ts:8. ' +
        'Impacts: reliability high, maintainability low. Clean code attribute: logical (intentional).',
    );
    expect(byKey(report, 'm-3').productFields).toMatchObject({ CleanCodeAttribute: 'LOGICAL', CleanCodeAttributeCategory: 'INTENTIONAL', IssueStatus: 'CONFIRMED' });
  });

  it('gives valid ASFF', () => {
    expect(asffProblems(report)).toEqual([]);
  });
});

describe('sonarqubeParser.parse: module-era multi-module projects (subProject, BRC components)', () => {
  const report = sonarqubeParser.parse(fixture('issues-sonarqube-6.7-modules.json'), { includeCodeSmells: true });
  const byKey = (key: string) => report.drafts.find((d) => d.productFields?.['issueKey'] === key || d.identity?.includes(key))!;

  it('joins the module directory to the module-relative file path, as jenkinsci/analysis-model does', () => {
    // Act
    const common = byKey('AWBu1qKJ5tbl3sNdL1aa');
    const web = byKey('AWBu1qKJ5tbl3sNdL1ab');

    // Assert
    expect(common.resources[0]!.Id).toBe('cart-common-folder/src/main/java/com/example/sonarqube/CloseResource.java');
    expect(web.resources[0]!.Id).toBe('cart-web/src/main/java/com/example/sonarqube/CloseResource.java');
    expect(common.location).not.toBe(web.location);
    expect(common.title).toContain('cart-common-folder/src/main/java/com/example/sonarqube/CloseResource.java:12');
  });

  it('leaves files of the root project (subProject = project) at their path', () => {
    // Act
    const root = byKey('AWBu1qKJ5tbl3sNdL1ac');

    // Assert
    expect(root.resources[0]!.Id).toBe('pom.xml');
    expect(asffProblems(report)).toEqual([]);
  });

  it('does not prefix twice when a server already gives the project-relative path', () => {
    // Arrange
    const doc = jsonDoc({
      issues: [{ key: 'k1', rule: 'java:S2095', severity: 'MAJOR', type: 'BUG', status: 'OPEN', message: 'm', project: 'p', subProject: 'p:m', component: 'p:m:mod/src/A.java', line: 1 }],
      components: [
        { key: 'p:m', qualifier: 'BRC', path: 'mod' },
        { key: 'p:m:mod/src/A.java', qualifier: 'FIL', path: 'mod/src/A.java' },
      ],
    });

    // Act
    const draft = sonarqubeParser.parse(doc, { includeCodeSmells: true }).drafts[0]!;

    // Assert
    expect(draft.resources[0]!.Id).toBe('mod/src/A.java');
  });
});

describe('sonarqubeParser.parse: hotspots', () => {
  const report = sonarqubeParser.parse(fixture('hotspots-reviewed.json'), { serverUrl: SERVER });

  it('maps review states: TO_REVIEW and ACKNOWLEDGED active, SAFE and FIXED resolved', () => {
    expect(report.drafts.map((d) => [d.identity, d.state, d.stateReason])).toEqual([
      ['hotspot:h-1', 'ACTIVE', undefined],
      ['hotspot:h-2', 'RESOLVED', 'reviewed as safe'],
      ['hotspot:h-3', 'RESOLVED', 'reviewed as fixed'],
      ['hotspot:h-4', 'ACTIVE', 'acknowledged in SonarQube'],
      ['hotspot:h-5', 'ACTIVE', undefined],
    ]);
  });

  it('maps the review priority 1:1, strips a project key containing ":" and takes the line from textRange', () => {
    expect(report.drafts.map((d) => d.severity.label)).toEqual(['HIGH', 'MEDIUM', 'LOW', 'MEDIUM', 'HIGH']);
    expect(report.drafts[0]!.resources[0]!.Id).toBe('src/main/java/Login.java');
    expect(report.drafts[4]!.resources[0]!.Details?.Other).toMatchObject({ path: 'src/main/webapp/index.jsp', line: '9' });
  });

  it('falls back to the security category as rule when the server gives no ruleKey, and links the hotspot', () => {
    expect(report.drafts[0]).toMatchObject({
      ruleId: 'hotspot:auth',
      sourceUrl: `${SERVER}/security_hotspots?id=org.acme%3Aweb&hotspots=h-1`,
      productFields: expect.objectContaining({ SecurityCategory: 'auth', VulnerabilityProbability: 'HIGH', Type: 'SECURITY_HOTSPOT' }),
    });
    expect(report.drafts[0]!.remediation?.url).toBe(`${SERVER}/coding_rules?open=hotspot%3Aauth&rule_key=hotspot%3Aauth`);
  });

  it('gives valid ASFF', () => {
    expect(asffProblems(report)).toEqual([]);
  });
});

describe('sonarqubeParser.parse: hotspots reported as issues (SonarQube ≤ 8.1, no paging object)', () => {
  const report = sonarqubeParser.parse(fixture('issues-sonarqube-8.1-hotspots-as-issues.json'));

  it('keeps SECURITY_HOTSPOT issues as hotspot findings, reviewed SAFE ones resolved', () => {
    expect(report.drafts.map((d) => [d.identity, d.types?.[0], d.state])).toEqual([
      ['AWh1', 'Software and Configuration Checks/Vulnerabilities/Security Hotspot', 'ACTIVE'],
      ['AWh2', 'Software and Configuration Checks/Vulnerabilities/Security Hotspot', 'RESOLVED'],
      ['AWh3', 'Software and Configuration Checks/Vulnerabilities', 'ACTIVE'],
    ]);
    expect(report.stats).toMatchObject({ hotspotIssues: 2, vulnerabilities: 1 });
  });

  it('reads CWE numbers from cwe-<n> tags and strips the project prefix of unlisted components', () => {
    expect(report.drafts[1]!.productFields).toMatchObject({ CWE: 'CWE-489', OWASP: 'A3' });
    expect(report.drafts[2]!.resources[0]!.Id).toBe('wp-includes/query.php');
  });
});

describe('sonarqubeParser.parse: dependency-check-sonar-plugin issues', () => {
  const report = sonarqubeParser.parse(fixture('issues-dependency-check-plugin.json'));

  it('turns the per-vulnerability message into a CVE vulnerability with score, CWE and package', () => {
    const log4j = byKey(report, 'dc-1');

    expect(log4j).toMatchObject({
      title: 'CVE-2021-44228 in log4j-core-2.14.1.jar (pom.xml:31)',
      severity: { label: 'CRITICAL', original: 'BLOCKER' },
      types: ['Software and Configuration Checks/Vulnerabilities', 'Software and Configuration Checks/Vulnerabilities/CVE'],
      vulnerabilities: [
        {
          Id: 'CVE-2021-44228',
          VulnerablePackages: [{ Name: 'log4j-core-2.14.1.jar' }],
          Cvss: [{ BaseScore: 10, Source: 'OWASP Dependency-Check' }],
          Vendor: { Name: 'NVD', Url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' },
          ReferenceUrls: ['https://nvd.nist.gov/vuln/detail/CVE-2021-44228'],
        },
      ],
      remediation: { url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' },
    });
    expect(log4j.productFields?.CWE).toBe('CWE-502, CWE-937');
  });

  it('turns the summarised message into one vulnerability per reference', () => {
    const jackson = byKey(report, 'dc-2');

    expect(jackson.vulnerabilities?.map((v) => [v.Id, v.Cvss?.[0]?.BaseScore])).toEqual([
      ['CVE-2019-12384', 5.9],
      ['CVE-2019-14379', 9.8],
      ["CWE-400: Uncontrolled Resource Consumption ('Resource Exhaustion')", 7.5],
    ]);
    expect(jackson.title).toBe("CVE-2019-12384, CVE-2019-14379, CWE-400: Uncontrolled Resource Consumption ('Resource Exhaustion') in jackson-databind-2.9.8.jar");
  });

  it('keeps non-CVE ids (NPM advisories) and splits virtual package names into name and version', () => {
    const yargs = byKey(report, 'dc-3');

    expect(yargs.types).toEqual(['Software and Configuration Checks/Vulnerabilities']);
    expect(yargs.vulnerabilities).toEqual([
      { Id: '1500', VulnerablePackages: [{ Name: 'yargs-parser', Version: '5.0.0' }], Cvss: [{ BaseScore: 2, Source: 'OWASP Dependency-Check' }], Vendor: { Name: 'OWASP Dependency-Check' } },
    ]);
  });

  it('keeps a plugin issue whose message has another layout as a plain issue', () => {
    const other = byKey(report, 'dc-4');

    expect(other.vulnerabilities).toBeUndefined();
    expect(other.title).toBe('Component with known vulnerability (message layout not from the plugin)');
  });

  it('gives valid ASFF', () => {
    expect(asffProblems(report)).toEqual([]);
  });
});

describe('sonarqubeParser.parseMany: pages of one scan', () => {
  it('merges pages, counting an issue repeated across pages once', () => {
    const report = sonarqubeParser.parseMany!([fixture('issues-page-1.json'), fixture('issues-page-2.json')]);

    expect(report.drafts.map((d) => d.identity)).toEqual(['p-1', 'p-2', 'p-3']);
    expect(report.stats).toMatchObject({ duplicates: 1 });
    expect(report.warnings).toEqual([
      'the report holds 3 of the 4 issues SonarQube counted (paging.total): pages are missing; pass every page together (the SonarQube client fetches them all)',
      '1 entry appeared more than once (overlapping pages) and counted once',
    ]);
  });

  it('warns when only the first page of a longer result is given', () => {
    const report = sonarqubeParser.parse(fixture('issues-page-1.json'));

    expect(report.drafts).toHaveLength(2);
    expect(report.warnings[0]).toMatch(/^the report holds 2 of the 4 issues SonarQube counted/);
  });

  it('does not trust count fields: the top-level total is ignored when paging is present', () => {
    const report = sonarqubeParser.parse(jsonDoc({ total: 42, paging: { pageIndex: 1, pageSize: 100, total: 1 }, issues: [{ key: 'k', rule: 'r', type: 'BUG', severity: 'MAJOR', status: 'OPEN' }], components: [] }));

    expect(report.drafts).toHaveLength(1);
    expect(report.warnings).toEqual([]);
  });

  it('gives equal finding Ids for the same issue whatever page or position it arrives in', () => {
    const scope = testScope({ tool: 'sonarqube' });
    const forward = sonarqubeParser.parseMany!([fixture('issues-page-1.json'), fixture('issues-page-2.json')]);
    const backward = sonarqubeParser.parseMany!([fixture('issues-page-2.json'), fixture('issues-page-1.json')]);

    const ids = (r: typeof forward) => r.drafts.map((d) => findingId(scope, d)).sort();
    expect(ids(backward)).toEqual(ids(forward));
  });

  it('reads the sonarqube-client export (issues + hotspots in one object) and links with its serverUrl', () => {
    const doc = jsonDoc({
      serverUrl: 'https://sonar.internal.example/sonar/',
      projectKey: 'site',
      branch: 'develop',
      warnings: ['issues (all): SonarQube counted 3 but returned 2; data changed while paging?'],
      issues: { paging: { pageIndex: 1, pageSize: 1, total: 1 }, issues: [{ key: 'i1', rule: 'php:S2077', type: 'VULNERABILITY', severity: 'MAJOR', status: 'OPEN', project: 'site', component: 'site:a.php' }], components: [] },
      hotspots: { paging: { pageIndex: 1, pageSize: 1, total: 1 }, hotspots: [{ key: 'h1', project: 'site', component: 'site:b.php', vulnerabilityProbability: 'LOW', status: 'TO_REVIEW', ruleKey: 'php:S4790' }], components: [] },
    });

    const report = sonarqubeParser.parse(doc);

    expect(report.drafts.map((d) => d.sourceUrl)).toEqual([
      'https://sonar.internal.example/sonar/project/issues?id=site&open=i1&branch=develop',
      'https://sonar.internal.example/sonar/security_hotspots?id=site&hotspots=h1&branch=develop',
    ]);
    expect(report.warnings).toEqual(['SonarQube client: issues (all): SonarQube counted 3 but returned 2; data changed while paging?']);
  });
});

describe('sonarqubeParser.parse: edge cases', () => {
  it('reads an empty response as an empty report', () => {
    const report = sonarqubeParser.parse(jsonDoc({ paging: { pageIndex: 1, pageSize: 100, total: 0 }, issues: [], components: [] }));

    expect(report).toEqual(expect.objectContaining({ tool: 'sonarqube', drafts: [], warnings: [] }));
  });

  it('throws a ReportError naming the source for an unknown shape', () => {
    const doc = jsonDoc({ version: '2.1.0', runs: [] }, 'reports/sast.json');

    expect(() => sonarqubeParser.parse(doc)).toThrow(ReportError);
    expect(() => sonarqubeParser.parse(doc)).toThrow(/^reports\/sast\.json: is not a SonarQube \/api\/issues\/search/);
  });

  it('throws a ReportError for XML', () => {
    const doc = { source: 'r.xml', format: 'xml' as const, value: { issues: {} }, encoding: 'utf-8' as const, skippedPrefix: 0, bytes: 10 };

    expect(() => sonarqubeParser.parse(doc)).toThrow(ReportError);
  });

  it('skips entries without a key, with a warning', () => {
    const report = sonarqubeParser.parse(jsonDoc({ paging: {}, issues: [null, 5, { rule: 'x' }, { key: 'ok', type: 'BUG', severity: 'MINOR' }] }));

    expect(report.drafts.map((d) => d.identity)).toEqual(['ok']);
    expect(report.warnings).toContain('3 entries without a key (or not an object) skipped');
  });

  it('uses the default severity (or ParseOptions.defaultSeverity) when neither impacts nor severity are known, with a warning', () => {
    const doc = jsonDoc({ paging: {}, issues: [{ key: 'a', type: 'VULNERABILITY', severity: 'SEVERE' }] });

    expect(sonarqubeParser.parse(doc).drafts[0]!.severity).toEqual({ label: 'MEDIUM', original: 'SEVERE' });
    expect(sonarqubeParser.parse(doc, { defaultSeverity: 'HIGH' }).drafts[0]!.severity.label).toBe('HIGH');
    expect(sonarqubeParser.parse(doc).warnings).toContain('1 finding has no known SonarQube severity; used MEDIUM');
  });

  it('keeps an issue of unknown type and an unknown status active, with warnings', () => {
    const report = sonarqubeParser.parse(jsonDoc({ paging: {}, issues: [{ key: 'a', type: 'NEW_KIND', severity: 'MAJOR', status: 'PARKED' }] }));

    expect(report.drafts[0]!.state).toBe('ACTIVE');
    expect(report.warnings).toEqual(['1 finding has an unknown status or resolution; kept active', '1 issue has an unknown type; kept as findings']);
  });

  it('strips CI workspace roots from paths and ignores a server URL that is not http(s)', () => {
    const report = sonarqubeParser.parse(
      jsonDoc({ paging: {}, issues: [{ key: 'a', type: 'BUG', severity: 'MAJOR', project: 'p', component: 'p:/codebuild/output/src123/src/app/x.php' }] }),
      { serverUrl: 'javascript:alert(1)', sourceRoots: ['/codebuild/output/src123/src'] },
    );

    expect(report.drafts[0]!.resources[0]!.Id).toBe('app/x.php');
    expect(report.drafts[0]!.sourceUrl).toBeUndefined();
    expect(report.warnings).toContain('serverUrl is not an http(s) URL; findings carry no links to SonarQube');
  });

  it('keeps titles within 256 characters without cutting the place', () => {
    const report = sonarqubeParser.parse(jsonDoc({ paging: {}, issues: [{ key: 'a', type: 'BUG', severity: 'MAJOR', project: 'p', component: 'p:src/x.ts', line: 3, message: 'word '.repeat(200) }] }));

    expect(report.drafts[0]!.title.length).toBeLessThanOrEqual(256);
    expect(report.drafts[0]!.title.endsWith(' (src/x.ts:3)')).toBe(true);
    expect(asffProblems(report)).toEqual([]);
  });

  it('reads a large report in linear time', () => {
    const issues = Array.from({ length: 40_000 }, (_, i) => ({
      key: `k${i}`,
      rule: 'java:S2076',
      type: i % 3 === 0 ? 'CODE_SMELL' : 'VULNERABILITY',
      severity: 'MAJOR',
      status: 'OPEN',
      project: 'p',
      component: `p:src/F${i % 500}.java`,
      line: i + 1,
      message: 'Change this code to not construct the OS command from user-controlled data.',
      tags: ['cwe'],
    }));
    const components = Array.from({ length: 500 }, (_, i) => ({ key: `p:src/F${i}.java`, qualifier: 'FIL', path: `src/F${i}.java` }));
    const doc = jsonDoc({ paging: { pageIndex: 1, pageSize: 40_000, total: 40_000 }, issues, components });

    const report = sonarqubeParser.parse(doc);

    expect(report.drafts).toHaveLength(26_666);
  });
});
