import { basename } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseJunit, type TestSuites } from 'junit2json';
import { isActive, type AwsSecurityFinding } from '@devsecops/asff';
import { evaluateGate } from '@devsecops/gate';
import { describeCorpus, sharedFixtures, workspaceRoot } from '@devsecops/test-support';
import { convertFile, SAMPLE_REPORTS, sampleFindings, text } from './__fixtures__/convert';
import { sarifValidator } from './__fixtures__/sarif-schema';
import {
  compareWithBase,
  CSV_COLUMNS,
  FINGERPRINT_KEY,
  FORMATS,
  FORMAT_IDS,
  markdownText,
  renderAsff,
  renderCsv,
  renderHtml,
  renderJunit,
  renderMarkdown,
  renderOcsf,
  renderSarif,
  type ReportGate,
  type ReportInput,
} from '@devsecops/report-formats';

const validateSarif = sarifValidator();
const gateOf = (findings: AwsSecurityFinding[], failOn: 'HIGH' | 'CRITICAL' = 'HIGH'): ReportGate => {
  // The threshold alone, as `findings gate --ignore-kev` decides it: the formats show the gate's own blocking list.
  const verdict = evaluateGate(findings, { failOn, failOnKev: false, now: new Date('2026-11-22T14:10:00.000Z') });
  return { failOn, passed: verdict.passed, blocking: verdict.blocking, blockingIds: new Set(verdict.findings.map((f) => f.id)) };
};

/** A finding whose every text field carries what spreadsheets, markdown, XML and HTML treat specially. */
function hostile(): AwsSecurityFinding {
  const [base] = convertFile(`${workspaceRoot}/samples/patient-portal/semgrep.sarif`);
  const nasty = '=HYPERLINK("http://evil.example","x") | **bold** <script>alert(1)</script> ]]> & "q" \u0001\n| CRITICAL | fake row |';
  return { ...base!, Id: `${base!.Id}-hostile`, Title: nasty, Description: nasty };
}

describe('the format registry', () => {
  it('has one entry per format id, each with a renderer or a reason it has none', () => {
    // Assert
    expect(Object.keys(FORMATS).sort()).toEqual([...FORMAT_IDS].sort());
    for (const format of Object.values(FORMATS)) expect(Boolean(format.render) !== Boolean(format.unavailable)).toBe(true);
  });
});

describe('asff', () => {
  it('is exactly the JSON array convert has always printed, yielded finding by finding', () => {
    // Arrange
    const findings = sampleFindings();
    // Act
    const out = text(renderAsff({ findings }));
    // Assert
    expect(out).toBe(`${JSON.stringify(findings, null, 2)}\n`);
    expect(text(renderAsff({ findings: [] }))).toBe('[]\n');
  });
});

describe('sarif', () => {
  it('validates against the SARIF 2.1.0 schema, with one run per tool and what GitHub code scanning reads', () => {
    // Arrange
    const findings = sampleFindings();
    // Act
    const doc = JSON.parse(text(renderSarif({ findings, producerVersion: '0.1.0' })));
    // Assert
    expect(validateSarif(doc)).toEqual([]);
    expect(doc.version).toBe('2.1.0');
    const tools = doc.runs.map((r: { tool: { driver: { name: string } } }) => r.tool.driver.name);
    expect(tools).toEqual(['dependency-check', 'phpstan', 'semgrep', 'sonarqube', 'zap']);
    for (const run of doc.runs) {
      expect(run.automationDetails.id).toBe(`devsecops/${run.tool.driver.name}/`);
      for (const rule of run.tool.driver.rules) expect(rule.properties['security-severity']).toMatch(/^\d{1,2}\.\d$/);
      for (const result of run.results) {
        expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
        expect(['error', 'warning', 'note']).toContain(result.level);
        expect(result.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^devsecops\//);
        for (const loc of result.locations) expect(loc.physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
      }
    }
  });

  it('gives a code finding its repository-relative file and line, and Log4Shell its CVSS as security-severity', () => {
    // Arrange
    const findings = sampleFindings();
    // Act
    const doc = JSON.parse(text(renderSarif({ findings })));
    // Assert
    const semgrep = doc.runs.find((r: { tool: { driver: { name: string } } }) => r.tool.driver.name === 'semgrep');
    const sqli = semgrep.results.find((r: { ruleId: string }) => r.ruleId.endsWith('spring-sqli'));
    expect(sqli.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/main/java/org/hospital/portal/PatientSearchDao.java', uriBaseId: '%SRCROOT%' },
      region: { startLine: 57, endLine: 57, startColumn: 5 },
    });
    expect(sqli.level).toBe('error');
    const dc = doc.runs.find((r: { tool: { driver: { name: string } } }) => r.tool.driver.name === 'dependency-check');
    const log4shell = dc.tool.driver.rules.find((r: { id: string }) => r.id === 'CVE-2021-44228');
    expect(log4shell.properties['security-severity']).toBe('10.0');
    expect(log4shell.properties.tags).toContain('external/cwe/cwe-917');
  });

  it('keeps a finding suppressed in the tool with a suppression, and leaves resolved ones out', () => {
    // Arrange
    const findings = convertFile(`${workspaceRoot}/samples/patient-portal/dependency-check-report.json`);
    const suppressed = findings.filter((f) => f.Workflow?.Status === 'SUPPRESSED');
    expect(suppressed.length).toBeGreaterThan(0);
    // Act
    const doc = JSON.parse(text(renderSarif({ findings })));
    // Assert
    const results = doc.runs[0].results;
    expect(results).toHaveLength(findings.length);
    expect(results.filter((r: { suppressions?: unknown[] }) => r.suppressions).length).toBe(suppressed.length);
  });

  it('is a valid document with no runs for no findings', () => {
    // Act
    const doc = JSON.parse(text(renderSarif({ findings: [] })));
    // Assert
    expect(validateSarif(doc)).toEqual([]);
    expect(doc.runs).toEqual([]);
  });
});

async function junit(input: ReportInput): Promise<TestSuites> {
  const parsed = await parseJunit(text(renderJunit(input)));
  return parsed as TestSuites;
}

describe('junit', () => {
  it('parses as JUnit with one test case per finding, failed exactly when the finding blocks the gate', async () => {
    // Arrange
    const findings = sampleFindings();
    const gate = gateOf(findings, 'CRITICAL');
    // Act
    const report = await junit({ findings, gate });
    // Assert
    const cases = (report.testsuite ?? []).flatMap((s) => s.testcase ?? []);
    expect(cases).toHaveLength(findings.length);
    expect(cases.filter((c) => c.failure).length).toBe(gate.blocking);
    expect(report.failures).toBe(gate.blocking);
    expect(cases.filter((c) => c.skipped).length).toBe(findings.filter((f) => !isActive(f)).length);
    expect((report.testsuite ?? []).map((s) => s.name)).toEqual(['dependency-check', 'phpstan', 'semgrep', 'sonarqube', 'zap']);
  });

  it('fails every active finding when there is no gate (convert)', async () => {
    // Arrange
    const findings = sampleFindings();
    // Act
    const report = await junit({ findings });
    // Assert
    expect(report.failures).toBe(findings.filter(isActive).length);
  });

  it('keeps hostile text intact and the XML well formed', async () => {
    // Arrange
    const finding = hostile();
    // Act
    const report = await junit({ findings: [finding] });
    // Assert
    const testcase = report.testsuite?.[0]?.testcase?.[0];
    expect(testcase?.failure?.[0]?.message).toContain('=HYPERLINK("http://evil.example","x") | **bold** <script>alert(1)</script> ]]> & "q" \uFFFD\n| CRITICAL');
  });
});

describe('markdown', () => {
  it('gives the verdict first, the counts by tool and severity, and the blocking findings', () => {
    // Arrange
    const findings = sampleFindings();
    const gate = gateOf(findings, 'HIGH');
    // Act
    const md = text(renderMarkdown({ findings, gate }));
    const html = text(renderHtml({ findings, gate, generatedAt: '2026-12-01T00:00:00.000Z' }));
    // Assert
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(md.split('\n')[0]).toBe(`## ❌ Security gate failed: ${gate.blocking} blocking`);
    expect(md).toMatch(/\| dependency-check \| \d+ \| \d+ \| \d+ \| \d+ \| \d+ \| [1-9]\d* \|/);
    expect(md).toContain(`### Blocking (${gate.blocking})`);
    expect(md).toContain('| CRITICAL | dependency-check | org.apache.logging.log4j:log4j-core@2.14.1: CVE-2021-44228 (CVE-2021-44228, CWE-917');
  });

  it('says what is new and what is fixed since the base', () => {
    // Arrange: the next build upgraded lodash and set the session cookie HttpOnly
    const before = SAMPLE_REPORTS.flatMap((p) => convertFile(p));
    const after = SAMPLE_REPORTS.map((p) => p.replace('patient-portal/', 'patient-portal-fixed/'))
      .filter((p) => !/sonarqube/.test(p))
      .flatMap((p) => convertFile(p))
      .concat(convertFile(`${workspaceRoot}/samples/patient-portal/sonarqube-issues.json`));
    const changes = compareWithBase(after, before, 'main');
    // Act
    const md = text(renderMarkdown({ findings: after, gate: gateOf(after), changes }));
    // Assert
    expect(changes.fixed.length).toBe(3);
    expect(md).toContain(`### Since main: ${changes.newIds.size} new, 3 fixed`);
    expect(md).toMatch(/\*\*Fixed\*\*[\s\S]*lodash/);
  });

  it('passes with a green verdict when nothing blocks', () => {
    // Act
    const md = text(renderMarkdown({ findings: [], gate: { failOn: 'HIGH', passed: true, blocking: 0 } }));
    // Assert
    expect(md.startsWith('## ✅ Security gate passed')).toBe(true);
  });

  it('escapes finding text so it cannot fake rows, markup or links', () => {
    // Arrange
    const finding = hostile();
    // Act
    const md = text(renderMarkdown({ findings: [finding], gate: { failOn: 'LOW', passed: false, blocking: 1 } }));
    // Assert
    const row = md.split('\n').find((l) => l.includes('HYPERLINK'))!;
    expect(row.split(/(?<!\\)\|/)).toHaveLength(6);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('**bold**');
    expect(markdownText('[x](http://e) `c` a|b')).toBe('\\[x\\](http://e) \\`c\\` a\\|b');
  });
});

describe('csv', () => {
  it('has a header and one RFC 4180 row per finding that a CSV parser reads back', () => {
    // Arrange
    const findings = sampleFindings();
    // Act
    const out = text(renderCsv({ findings, gate: gateOf(findings) }));
    // Assert
    const rows = parseCsv(out) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(findings.length + 1);
    expect(out.endsWith('\r\n')).toBe(true);
    const log4shell = rows.find((r) => r[CSV_COLUMNS.indexOf('CVE')] === 'CVE-2021-44228')!;
    expect(log4shell[CSV_COLUMNS.indexOf('Severity')]).toBe('CRITICAL');
    expect(log4shell[CSV_COLUMNS.indexOf('FixedInVersion')]).toBe('2.15.0');
    expect(log4shell[CSV_COLUMNS.indexOf('Blocking')]).toBe('yes');
  });

  it('prefixes cells a spreadsheet would run as a formula, and quotes what needs quoting', () => {
    // Arrange
    const finding = hostile();
    // Act
    const rows = parseCsv(text(renderCsv({ findings: [finding] }))) as string[][];
    // Assert
    const title = rows[1]![CSV_COLUMNS.indexOf('Title')]!;
    expect(title.startsWith("'=HYPERLINK(")).toBe(true);
    expect(title).toContain('"q"');
    expect(title).toContain('\n');
    for (const cell of rows[1]!) expect(cell).not.toMatch(/^[=+\-@]/);
  });
});

describe('ocsf', () => {
  it('writes one OCSF 1.6 event per line, with the ASFF Id and the class for what was scanned', () => {
    // Arrange
    const findings = sampleFindings();
    // Act
    const lines = text(renderOcsf({ findings })).trimEnd().split('\n').map((l) => JSON.parse(l));
    // Assert
    expect(lines).toHaveLength(findings.length);
    expect(lines.map((e) => e.finding_info.uid)).toEqual(findings.map((f) => f.Id));
    for (const event of lines) {
      for (const key of ['activity_id', 'category_uid', 'class_uid', 'type_uid', 'severity_id', 'time', 'metadata', 'finding_info']) expect(event).toHaveProperty(key);
      expect(event.metadata.version).toBe('1.6.0');
      expect(event.type_uid).toBe(event.class_uid * 100 + event.activity_id);
      if (event.class_uid === 2002) {
        expect(event.vulnerabilities.length).toBeGreaterThan(0);
        for (const v of event.vulnerabilities) expect(v.cve ?? v.cwe).toBeDefined();
      } else {
        expect(event.class_uid).toBe(2007);
        expect(event.vulnerabilities ?? event.remediation).toBeDefined();
      }
    }
    const byTool = (tool: string) => new Set(lines.filter((e) => e.metadata.product.name === tool).map((e) => e.class_uid));
    expect(byTool('dependency-check')).toEqual(new Set([2002]));
    expect(byTool('zap')).toEqual(new Set([2002]));
    expect(byTool('semgrep')).toEqual(new Set([2007]));
    expect(byTool('phpstan')).toEqual(new Set([2007]));
  });

  it('maps a package vulnerability to CVE, CVSS and the affected package, and a code finding to its file and line', () => {
    // Arrange
    const findings = sampleFindings();
    // Act
    const lines = text(renderOcsf({ findings })).trimEnd().split('\n').map((l) => JSON.parse(l));
    // Assert
    const log4shell = lines.find((e) => e.vulnerabilities?.[0]?.cve?.uid === 'CVE-2021-44228');
    expect(log4shell.severity_id).toBe(5);
    expect(log4shell.vulnerabilities[0].cve.cvss[0]).toEqual({ version: '3.1', base_score: 10, vector_string: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' });
    expect(log4shell.vulnerabilities[0].affected_packages[0]).toMatchObject({ name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', fixed_in_version: '2.15.0' });
    const sqli = lines.find((e) => e.finding_info.analytic.uid.endsWith('spring-sqli'));
    expect(sqli.vulnerabilities[0].affected_code[0]).toMatchObject({ file: { name: 'PatientSearchDao.java', path: 'src/main/java/org/hospital/portal/PatientSearchDao.java' }, start_line: 57 });
    expect(sqli.vulnerabilities[0].cwe).toEqual({ uid: 'CWE-89' });
  });
});

describe('html', () => {
  it('is the report-html page with the gate verdict, the blocking findings and what the base had that is fixed', () => {
    // Arrange
    const before = convertFile(`${workspaceRoot}/samples/patient-portal/dependency-check-report.json`);
    const after = convertFile(`${workspaceRoot}/samples/patient-portal-fixed/dependency-check-report.json`);
    const gate = gateOf(after, 'CRITICAL');
    // Act
    const html = text(renderHtml({ findings: after, gate, changes: compareWithBase(after, before, 'main'), generatedAt: '2026-12-01T00:00:00.000Z' }));
    // Assert
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).toMatch(/findings gate/);
    expect(html).toContain('2 fixed by this run');
    expect(html).not.toMatch(/<script src=|<link [^>]*href="http/);
  });
});

/** Every real report of the shared corpus, through every format. */
const CORPUS = ['dependency-check', 'sonarqube', 'phpstan', 'sarif', 'zap'].flatMap((tool) => sharedFixtures(tool).map((file) => [tool, file] as const));

describeCorpus('sarif')('every format over the shared corpus of real reports', () => {
  const convertible: [string, AwsSecurityFinding[]][] = [];
  for (const [tool, file] of CORPUS) {
    try {
      convertible.push([`${tool}/${basename(file)}`, convertFile(file, tool)]);
    } catch {
      // a report the parser rejects (empty, no runs) has its own test in the parser
    }
  }

  it.each(convertible)('%s: SARIF validates, JUnit parses with one case per finding, CSV and OCSF have one record per finding, Markdown and HTML render', async (_name: string, findings: AwsSecurityFinding[]) => {
    // Arrange
    const gate = gateOf(findings);
    // Act
    const sarif = JSON.parse(text(renderSarif({ findings, gate })));
    const report = await junit({ findings, gate });
    const csv = parseCsv(text(renderCsv({ findings, gate }))) as string[][];
    const ocsf = text(renderOcsf({ findings })).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const md = text(renderMarkdown({ findings, gate }));
    const html = text(renderHtml({ findings, gate, generatedAt: '2026-12-01T00:00:00.000Z' }));
    // Assert
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(validateSarif(sarif)).toEqual([]);
    expect((report.testsuite ?? []).flatMap((s) => s.testcase ?? [])).toHaveLength(findings.length);
    expect(csv).toHaveLength(findings.length + 1);
    expect(ocsf.map((e) => e.finding_info.uid)).toEqual(findings.map((f) => f.Id));
    expect(md.split('\n')[0]).toMatch(/^## (✅|❌) Security gate/);
  });
});
