import { isActive, summarize } from '@devsecops/asff';
import { ReportError } from '@devsecops/report-input';
import { CVE_TYPE } from './drafts';
import { DEPENDENCY_CHECK_XML_OPTIONS, dependencyCheckParser } from './parser';
import { byRuleId, findingsOf, fixtureDoc, jsonDoc, onlyByRuleId, problemsOf, xmlDoc } from './testing/helpers';

describe('dependencyCheckParser.detect', () => {
  it('recognises the JSON report by reportSchema or scanInfo.engineVersion next to dependencies', () => {
    expect(dependencyCheckParser.detect(jsonDoc({ reportSchema: '1.1', dependencies: [] }))).toBe(true);
    expect(dependencyCheckParser.detect(jsonDoc({ scanInfo: { engineVersion: '6.4.1' }, dependencies: [] }))).toBe(true);
  });

  it('rejects other JSON documents', () => {
    expect(dependencyCheckParser.detect(jsonDoc({ name: 'app', dependencies: { lodash: '^4' } }))).toBe(false);
    expect(dependencyCheckParser.detect(jsonDoc({ reportSchema: '1.1' }))).toBe(false);
    expect(dependencyCheckParser.detect(jsonDoc([{ dependencies: [] }]))).toBe(false);
    expect(dependencyCheckParser.detect(jsonDoc({ version: '2.1.0', runs: [] }))).toBe(false);
  });

  it('recognises the XML report by its <analysis> root, whatever the schema version', () => {
    expect(dependencyCheckParser.detect(fixtureDoc('schema-1.3-single.xml'))).toBe(true);
    expect(dependencyCheckParser.detect(fixtureDoc('schema-4.1-multi.xml'))).toBe(true);
    expect(dependencyCheckParser.detect(xmlDoc({ OWASPZAPReport: { site: [] } }))).toBe(false);
    expect(dependencyCheckParser.detect(xmlDoc({ analysis: '' }))).toBe(false);
  });
});

describe('dependencyCheckParser.parse: schema 1.3 XML (old layout)', () => {
  const report = dependencyCheckParser.parse(fixtureDoc('schema-1.3-single.xml'));

  it('gives one finding per vulnerability and none for dependencies without vulnerabilities', () => {
    expect(report.drafts.map((d) => d.ruleId)).toEqual(['CVE-2015-0001', 'CVE-2015-0002']);
    expect(report.stats).toEqual({ dependencies: 2, vulnerableDependencies: 1, vulnerabilities: 2, suppressed: 0 });
    expect(report.toolVersion).toBeUndefined();
  });

  it('identifies the package by the old maven identifier, turned into a purl', () => {
    const draft = onlyByRuleId(report, 'CVE-2015-0001');
    expect(draft.location).toBe('pkg:maven/org.example/library@6.7.8');
    expect(draft.title).toBe('org.example:library@6.7.8: CVE-2015-0001');
    expect(draft.resources[0]?.Id).toBe('pkg:maven/org.example/library@6.7.8');
    expect(draft.vulnerabilities?.[0]?.VulnerablePackages?.[0]).toMatchObject({ Name: 'org.example:library', Version: '6.7.8', PackageManager: 'maven' });
  });

  it('prefers the severity word over the versionless flat score, and keeps that score in Cvss without inventing a version', () => {
    const draft = onlyByRuleId(report, 'CVE-2015-0001');
    expect(draft.severity).toEqual({ label: 'MEDIUM', original: 'Moderate' });
    expect(draft.vulnerabilities?.[0]?.Cvss).toEqual([{ BaseScore: 7.5, BaseVector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }]);
  });

  it('uses the flat score when there is no severity word', () => {
    expect(onlyByRuleId(report, 'CVE-2015-0002').severity).toEqual({ label: 'LOW', original: '2.6' });
  });

  it('reads the single old-style cwe text and ignores CWE-0', () => {
    expect(onlyByRuleId(report, 'CVE-2015-0001').types).toEqual([CVE_TYPE, 'Software and Configuration Checks/Vulnerabilities/CWE-20']);
    expect(onlyByRuleId(report, 'CVE-2015-0002').types).toEqual([CVE_TYPE]);
  });

  it('collapses XML indentation inside descriptions', () => {
    expect(onlyByRuleId(report, 'CVE-2015-0001').description).toMatch(/^Input is not validated before it is used\./);
  });
});

describe('dependencyCheckParser.parse: schema 4.1 XML', () => {
  const report = dependencyCheckParser.parse(fixtureDoc('schema-4.1-multi.xml'), { sourceRoots: ['/codebuild/output/src123456/src/github.com/hospital/portal'] });
  const findings = findingsOf(report);

  it('produces valid findings with unique Ids', () => {
    expect(problemsOf(findings)).toEqual([]);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    expect(report.drafts).toHaveLength(8);
    expect(report.toolVersion).toBe('12.1.0');
    expect(report.stats).toEqual({ dependencies: 4, vulnerableDependencies: 4, vulnerabilities: 6, suppressed: 2 });
  });

  it('maps a KEV-listed CVE with CVSS v2 and v3, a matched fix version and related paths', () => {
    const draft = onlyByRuleId(report, 'CVE-2022-42889');
    expect(draft.severity).toEqual({ label: 'CRITICAL', original: '9.8' });
    expect(draft.types).toEqual([CVE_TYPE, 'Software and Configuration Checks/Vulnerabilities/CWE-94']);
    expect(draft.title).toBe('org.apache.commons:commons-text@1.9: CVE-2022-42889');
    const vulnerability = draft.vulnerabilities?.[0];
    expect(vulnerability).toMatchObject({
      Id: 'CVE-2022-42889',
      FixAvailable: 'YES',
      ExploitAvailable: 'YES',
      Vendor: { Name: 'NVD', Url: 'https://nvd.nist.gov/vuln/detail/CVE-2022-42889', VendorSeverity: 'CRITICAL' },
      ReferenceUrls: ['https://lists.apache.org/thread/n2bd4vdsgkqh2tm14l1wyc3jyol7s1om'],
    });
    expect(vulnerability?.Cvss).toEqual([
      { Version: '3.1', BaseScore: 9.8, BaseVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', Source: 'NVD' },
      { Version: '2.0', BaseScore: 7.5, BaseVector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', Source: 'NVD' },
    ]);
    expect(vulnerability?.VulnerablePackages).toEqual([
      {
        Name: 'org.apache.commons:commons-text',
        Version: '1.9',
        PackageManager: 'maven',
        FilePath: 'lib/commons-text-1.9.jar',
        FixedInVersion: '1.10.0',
        Remediation: expect.stringMatching(/^Upgrade org\.apache\.commons:commons-text to 1\.10\.0 or later\./),
      },
    ]);
    expect(draft.remediation?.text).toContain('CISA KEV required action: Apply updates per vendor instructions. (due 2024-01-22)');
    expect(draft.remediation?.url).toBe('https://nvd.nist.gov/vuln/detail/CVE-2022-42889');
    expect(draft.resources[0]?.Details?.Other).toMatchObject({
      package: 'org.apache.commons:commons-text',
      filePath: 'lib/commons-text-1.9.jar',
      relatedDependencies: '1',
      relatedPaths: 'war/WEB-INF/lib/commons-text-1.9.jar',
      cpe: 'cpe:2.3:a:apache:commons_text:1.9:*:*:*:*:*:*:*',
    });
    expect(draft.description).toContain('Also found at 1 other path: war/WEB-INF/lib/commons-text-1.9.jar');
  });

  it('takes the label from v4 over v3, rebuilding the v4 vector from its metrics and leaving an unstated v3 version out', () => {
    const draft = onlyByRuleId(report, 'CVE-2024-0001');
    expect(draft.severity).toEqual({ label: 'CRITICAL', original: '9.3' });
    expect(draft.vulnerabilities?.[0]?.Cvss).toEqual([
      { Version: '4.0', BaseScore: 9.3, BaseVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', Source: 'cna@example.org' },
      { BaseScore: 5.3, BaseVector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', Source: 'NVD' },
    ]);
    expect(draft.vulnerabilities?.[0]?.FixAvailable).toBeUndefined();
    expect(draft.remediation?.text).toBe('Upgrade org.apache.commons:commons-text to a version without CVE-2024-0001.');
  });

  it('imports suppressed vulnerabilities archived with the suppression note, never active and never failing the gate', () => {
    const withNote = onlyByRuleId(report, 'CVE-2023-0002');
    const withoutNote = onlyByRuleId(report, 'CVE-2023-0003');
    expect(withNote).toMatchObject({ state: 'SUPPRESSED', stateReason: 'Not reachable: the interpolation API is never called (ticket SEC-42).' });
    expect(withoutNote).toMatchObject({ state: 'SUPPRESSED', stateReason: 'no suppression note', severity: { label: 'MEDIUM', original: '5.0' } });
    const suppressed = findingsOf({ ...report, drafts: [withNote, withoutNote] });
    expect(suppressed.map((f) => [f.RecordState, f.Workflow?.Status, isActive(f)])).toEqual([
      ['ARCHIVED', 'SUPPRESSED', false],
      ['ARCHIVED', 'SUPPRESSED', false],
    ]);
    expect(summarize(suppressed).active).toBe(0);
    expect(suppressed[0]?.Description).toMatch(/^\[Suppressed in dependency-check: Not reachable/);
  });

  it('reads a virtual npm dependency: unscored lowercase word, manifest as FilePath', () => {
    const draft = onlyByRuleId(report, 'GHSA-p6mc-m468-83gw');
    expect(draft.severity).toEqual({ label: 'HIGH', original: 'high' });
    expect(draft.types).toEqual(['Software and Configuration Checks/Vulnerabilities']);
    expect(draft.vulnerabilities?.[0]?.VulnerablePackages?.[0]).toMatchObject({ Name: 'lodash', PackageManager: 'npm', FilePath: 'web/package-lock.json', FixedInVersion: '4.17.19' });
    expect(draft.remediation?.url).toBe('https://github.com/advisories/GHSA-p6mc-m468-83gw');
  });

  it('defaults an unusable severity to MEDIUM and says how many in a warning', () => {
    expect(onlyByRuleId(report, 'lodash issue: 4744').severity).toEqual({ label: 'MEDIUM', original: 'Unknown' });
    expect(report.warnings).toEqual(['1 vulnerability had no usable severity; reported as MEDIUM']);
  });

  it('keeps one finding per path when the same package has the same vulnerability at two paths', () => {
    const copies = byRuleId(report, 'CVE-2020-11022');
    expect(copies.map((d) => d.location).sort()).toEqual(['pkg:javascript/jquery@3.4.1#static/a/jquery.min.js', 'pkg:javascript/jquery@3.4.1#static/b/jquery.min.js']);
  });

  it('reads the same tree when the caller parsed with array hints', () => {
    const hinted = dependencyCheckParser.parse(fixtureDoc('schema-4.1-multi.xml', DEPENDENCY_CHECK_XML_OPTIONS), {
      sourceRoots: ['/codebuild/output/src123456/src/github.com/hospital/portal'],
    });
    expect(hinted.drafts).toEqual(report.drafts);
  });
});

describe('dependencyCheckParser.parse: JSON reportSchema 1.1', () => {
  const report = dependencyCheckParser.parse(fixtureDoc('report-schema-1.1.json'));
  const findings = findingsOf(report);

  it('produces valid findings with unique Ids, stats and warnings', () => {
    expect(problemsOf(findings)).toEqual([]);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    expect(report.drafts.map((d) => d.ruleId)).toEqual(['CVE-2024-9329', 'CVE-2021-3121', 'CVE-2020-11023', 'jquery issue: 162', 'CVE-2019-11358', 'CVE-2019-0001']);
    expect(report.toolVersion).toBe('12.1.1');
    expect(report.stats).toEqual({ dependencies: 5, vulnerableDependencies: 4, vulnerabilities: 6, suppressed: 1 });
    expect(report.warnings).toEqual([
      '1 vulnerability had no usable severity; reported as MEDIUM',
      '1 duplicate vulnerability entry was merged (same package, file and vulnerability name)',
      '1 vulnerability entry without a name skipped',
    ]);
  });

  it('takes the label from CVSS v4 when present and keeps the NVD vector with its supplemental metrics', () => {
    const draft = onlyByRuleId(report, 'CVE-2024-9329');
    expect(draft.severity).toEqual({ label: 'MEDIUM', original: '6.9' });
    expect(draft.vulnerabilities?.[0]?.Cvss?.map((c) => [c.Version, c.BaseScore, c.Source])).toEqual([
      ['4.0', 6.9, 'emo@eclipse.org'],
      ['3.1', 6.1, 'NVD'],
    ]);
    expect(draft.vulnerabilities?.[0]?.Cvss?.[0]?.BaseVector).toMatch(/^CVSS:4\.0\/AV:N\/.*\/R:N\//);
    expect(draft.types).toEqual([CVE_TYPE, 'Software and Configuration Checks/Vulnerabilities/CWE-601', 'Software and Configuration Checks/Vulnerabilities/CWE-233']);
    expect(draft.vulnerabilities?.[0]?.ReferenceUrls).toEqual(['https://github.com/eclipse-ee4j/glassfish/pull/25106']);
  });

  it('identifies a dependency with only a CPE by that CPE, and its resource by the file path', () => {
    const draft = onlyByRuleId(report, 'CVE-2024-9329');
    expect(draft.location).toBe('cpe:2.3:a:eclipse:glassfish:1.0.3:*:*:*:*:*:*:*');
    expect(draft.title).toBe('glassfish@1.0.3: CVE-2024-9329');
    expect(draft.resources[0]?.Id).toBe('/work/app/lib/glassfish-osgi-1.0.3.jar');
    expect(draft.vulnerabilities?.[0]?.VulnerablePackages?.[0]?.FixedInVersion).toBe('7.0.17');
  });

  it('rebuilds a letter-coded v3 vector without a version prefix when the version is missing', () => {
    const draft = onlyByRuleId(report, 'CVE-2021-3121');
    expect(draft.severity.label).toBe('CRITICAL');
    expect(draft.vulnerabilities?.[0]?.Cvss).toEqual([{ BaseScore: 9.8, BaseVector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', Source: 'OSSINDEX' }]);
    expect(draft.vulnerabilities?.[0]?.VulnerablePackages?.[0]).toMatchObject({ Name: 'github.com/gogo/protobuf', PackageManager: 'golang', FilePath: '/src/go.mod' });
    // DC marked the matched CPE, which has no upper bound: no fix version is guessed.
    expect(draft.vulnerabilities?.[0]?.FixAvailable).toBeUndefined();
  });

  it('guesses the fix version from the CPE range that names the package and contains its version', () => {
    const draft = onlyByRuleId(report, 'CVE-2020-11023');
    expect(draft.vulnerabilities?.[0]?.VulnerablePackages?.[0]?.FixedInVersion).toBe('3.5.0');
    expect(draft.vulnerabilities?.[0]?.ExploitAvailable).toBe('YES');
    expect(draft.productFields).toMatchObject({ KevDueDate: '2025-02-13', Cwes: 'CWE-79', FixedInVersion: '3.5.0' });
  });

  it('merges a vulnerability listed twice for the same dependency into one finding', () => {
    const draft = onlyByRuleId(report, 'jquery issue: 162');
    expect(draft.severity).toEqual({ label: 'LOW', original: 'low' });
    expect(draft.description).toMatch(/^jquery issue: 162 affects jquery@1\.10\.2\.min\./);
  });

  it('reads suppressedVulnerabilities[] as suppressed findings with the note', () => {
    expect(onlyByRuleId(report, 'CVE-2019-11358')).toMatchObject({ state: 'SUPPRESSED', stateReason: 'Accepted risk until the Q3 frontend rewrite.' });
  });

  it('falls back to the file name when a dependency has no identifiers', () => {
    const draft = onlyByRuleId(report, 'CVE-2019-0001');
    expect(draft.location).toBe('mystery.dll');
    expect(draft.title).toBe('mystery.dll: CVE-2019-0001');
    expect(draft.severity).toEqual({ label: 'MEDIUM', original: '' });
    expect(findingsOf({ ...report, drafts: [draft] })[0]?.Severity?.Original).toBe('MEDIUM');
  });

  it('uses the caller’s default severity for vulnerabilities without one', () => {
    const withHigh = dependencyCheckParser.parse(fixtureDoc('report-schema-1.1.json'), { defaultSeverity: 'HIGH' });
    expect(onlyByRuleId(withHigh, 'CVE-2019-0001').severity.label).toBe('HIGH');
    expect(withHigh.warnings[0]).toBe('1 vulnerability had no usable severity; reported as HIGH');
  });

  it('does not change the document it reads', () => {
    const doc = fixtureDoc('report-schema-1.1.json');
    const before = JSON.stringify(doc.value);
    dependencyCheckParser.parse(doc);
    expect(JSON.stringify(doc.value)).toBe(before);
  });

  it('gives the same Ids whatever the order of dependencies and vulnerabilities', () => {
    const doc = fixtureDoc('report-schema-1.1.json');
    const value = doc.value as { dependencies: Array<{ vulnerabilities?: unknown[] }> };
    const reversed = {
      ...value,
      dependencies: [...value.dependencies].reverse().map((d) => ({ ...d, ...(d.vulnerabilities ? { vulnerabilities: [...d.vulnerabilities].reverse() } : {}) })),
    };
    const ids = (v: unknown) => findingsOf(dependencyCheckParser.parse(jsonDoc(v))).map((f) => f.Id).sort();
    expect(ids(reversed)).toEqual(ids(value));
  });
});

describe('dependencyCheckParser.parse: unreadable documents', () => {
  it.each([
    ['an array', jsonDoc([1, 2])],
    ['no dependencies', jsonDoc({ reportSchema: '1.1' })],
    ['dependencies not a list', jsonDoc({ reportSchema: '1.1', dependencies: { a: 1 } })],
    ['an XML document with another root', xmlDoc({ OWASPZAPReport: {} })],
    ['an XML analysis without dependencies', xmlDoc({ analysis: { scanInfo: '' } })],
  ])('throws a ReportError for %s', (_label, doc) => {
    expect(() => dependencyCheckParser.parse(doc)).toThrow(ReportError);
  });

  it('reads an empty report as no findings', () => {
    expect(dependencyCheckParser.parse(jsonDoc({ reportSchema: '1.1', dependencies: [] }))).toEqual({
      tool: 'dependency-check',
      drafts: [],
      warnings: [],
      stats: { dependencies: 0, vulnerableDependencies: 0, vulnerabilities: 0, suppressed: 0 },
    });
    expect(dependencyCheckParser.parse(xmlDoc({ analysis: { dependencies: '' } })).drafts).toEqual([]);
  });

  it('skips dependency entries that are not objects, with a warning', () => {
    const report = dependencyCheckParser.parse(jsonDoc({ reportSchema: '1.1', dependencies: [null, 'x', { fileName: 'a.jar' }] }));
    expect(report.drafts).toEqual([]);
    expect(report.warnings).toEqual(['2 dependency entries were not an object and skipped']);
  });
});

describe('dependencyCheckParser.parse: large element lists', () => {
  it('reads an XML tree with more dependency elements than a function call takes arguments', () => {
    const dependency = { fileName: 'a.jar', vulnerabilities: '' };
    const report = dependencyCheckParser.parse(xmlDoc({ analysis: { dependencies: { dependency: Array.from({ length: 300_000 }, () => dependency) } } }));
    expect(report.stats?.dependencies).toBe(300_000);
  });
});
