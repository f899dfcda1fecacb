import { bySeverityThenLocation, findingFacts, isBlocking, reportTime, type FindingFacts, type ReportInput } from './model';
import { xmlAttr, xmlText } from './xml';

function details(f: FindingFacts): string {
  const lines = [
    `Severity: ${f.severity}${f.cvssScore !== undefined ? ` (CVSS ${f.cvssVersion ?? ''} ${f.cvssScore})` : ''}`,
    `Location: ${f.location}`,
    f.cves.length > 0 ? `CVE: ${f.cves.join(', ')}` : undefined,
    f.cwes.length > 0 ? `CWE: ${f.cwes.join(', ')}` : undefined,
    f.fixedVersion ? `Fixed in: ${f.fixedVersion}` : undefined,
    f.remediation ? `Remediation: ${f.remediation}` : undefined,
    `Finding Id: ${f.id}`,
    '',
    f.description,
  ];
  return lines.filter((l) => l !== undefined).join('\n');
}

/**
 * JUnit XML as CodeBuild test reports (file-format JUNITXML) and most CI systems read it: one <testsuite> per
 * tool and one <testcase> per finding. A case fails when the finding blocks the gate; with no gate (convert)
 * every active finding fails. Suppressed and archived findings are skipped, with the reason.
 * classname = tool, name = rule and location, so a case keeps its name across builds (CodeBuild tracks cases by it).
 */
export function* renderJunit(input: ReportInput): Iterable<string> {
  const facts = input.findings.map(findingFacts).sort(bySeverityThenLocation);
  const byTool = new Map<string, FindingFacts[]>();
  for (const f of facts) byTool.set(f.tool, [...(byTool.get(f.tool) ?? []), f]);
  const fails = (f: FindingFacts): boolean => (input.gate ? isBlocking(f, input.gate) : f.active);
  const time = reportTime(input).replace(/\.\d+Z$/, 'Z').replace(/Z$/, '');
  const total = facts.length;
  const failures = facts.filter(fails).length;
  const skipped = facts.filter((f) => !f.active).length;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="security findings" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n`;
  for (const [tool, cases] of [...byTool.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const suiteFailures = cases.filter(fails).length;
    const suiteSkipped = cases.filter((f) => !f.active).length;
    yield `  <testsuite name="${xmlAttr(tool)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" time="0" timestamp="${xmlAttr(time)}">\n`;
    for (const f of cases) {
      const name = `${f.rule} ${f.location}`.trim();
      const file = f.path ? ` file="${xmlAttr(f.path)}"${f.startLine ? ` line="${f.startLine}"` : ''}` : '';
      yield `    <testcase classname="${xmlAttr(tool)}" name="${xmlAttr(name)}" time="0"${file}>\n`;
      if (!f.active) yield `      <skipped message="${xmlAttr(`${f.status}${f.statusReason ? `: ${f.statusReason}` : ''}`)}"/>\n`;
      else if (fails(f)) yield `      <failure message="${xmlAttr(`${f.severity}: ${f.title}`)}" type="${xmlAttr(f.severity)}">${xmlText(details(f))}</failure>\n`;
      else yield `      <system-out>${xmlText(details(f))}</system-out>\n`;
      yield '    </testcase>\n';
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}
