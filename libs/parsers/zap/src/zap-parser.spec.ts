import { buildFindings, FIELD, jsonBytes, type AwsSecurityFinding } from '@devsecops/asff';
import { ReportError, readReport } from '@devsecops/report-input';
import { fixtureDoc, fixtureJson, findingsOf, jsonDoc, problemsOf, type FixtureJson } from './__fixtures__/helpers';
import { zapParser } from './zap-parser';

const byTitle = (findings: AwsSecurityFinding[], title: string): AwsSecurityFinding[] => findings.filter((f) => f.Title === title);
const only = (findings: AwsSecurityFinding[], title: string): AwsSecurityFinding => {
  const hits = byTitle(findings, title);
  expect(hits).toHaveLength(1);
  return hits[0]!;
};
const field = (finding: AwsSecurityFinding, key: string): string | undefined => finding.ProductFields?.[`devsecops/zap/${key}`];

describe('zapParser.detect', () => {
  it('recognises the JSON report of current and old ZAP and the XML report', () => {
    // Arrange
    const docs = [fixtureDoc('traditional-2.16.json'), fixtureDoc('legacy-2.8.json'), fixtureDoc('xml-plus-2.11.xml')];

    // Act
    const detected = docs.map((doc) => zapParser.detect(doc));

    // Assert
    expect(detected).toEqual([true, true, true]);
  });

  it('rejects other tools’ reports and JSON without a version marker', () => {
    // Arrange
    const others = [
      jsonDoc({ version: '2.1.0', runs: [] }),
      jsonDoc({ reportSchema: '1.1', dependencies: [] }),
      jsonDoc({ site: [] }),
      jsonDoc([{ '@version': '2.16.0', site: [] }]),
      readReport('<?xml version="1.0"?><analysis><dependencies/></analysis>', 'dc.xml'),
    ];

    // Act
    const detected = others.map((doc) => zapParser.detect(doc));

    // Assert
    expect(detected).toEqual([false, false, false, false, false]);
  });
});

describe('zapParser.parse: current JSON report (2.16)', () => {
  const report = zapParser.parse(fixtureDoc('traditional-2.16.json'));
  const findings = findingsOf(report);

  it('makes one finding per alert per site, for every site, all valid', () => {
    // Arrange
    const expected = 6 + 2;

    // Act
    const ids = new Set(findings.map((f) => f.Id));

    // Assert
    expect(report.drafts).toHaveLength(expected);
    expect(ids.size).toBe(expected);
    expect(problemsOf(findings)).toEqual([]);
    expect(byTitle(findings, 'Cross Site Scripting (Reflected)').map((f) => field(f, 'Site')).sort()).toEqual([
      'http://staging.hospital.example',
      'https://staging.hospital.example',
    ]);
  });

  it('reports tool, version, counts and tolerates the newer top-level sections', () => {
    // Arrange / Act: parsed above

    // Assert
    expect(report.tool).toBe('zap');
    expect(report.toolVersion).toBe('2.16.0');
    expect(report.stats).toEqual({ sites: 2, alerts: 8, instances: 9, falsePositives: 1 });
  });

  it('maps riskcode to the label and keeps riskdesc as the original severity', () => {
    // Arrange
    const cases = [
      ['Cross Site Scripting (Reflected)', 'HIGH', 'High (Medium)'],
      ['CSP: Wildcard Directive', 'MEDIUM', 'Medium (High)'],
      ['Strict-Transport-Security Header Not Set', 'LOW', 'Low (High)'],
      ['User Agent Fuzzer', 'INFORMATIONAL', 'Informational (Medium)'],
    ] as const;

    // Act
    const severities = cases.map(([title]) => byTitle(findings, title)[0]!.Severity);

    // Assert
    expect(severities).toEqual(cases.map(([, label, original]) => ({ Label: label, Original: original })));
  });

  it('carries ZAP confidence as 0-100 (Medium 66, High 90, Confirmed 100)', () => {
    // Arrange
    const titles = ['Cross Site Scripting (Reflected)', 'CSP: Wildcard Directive', 'Modern Web Application'];

    // Act
    const confidences = titles.map((t) => byTitle(findings, t)[0]!.Confidence);

    // Assert
    expect(confidences).toEqual([66, 90, 100]);
  });

  it('imports an alert marked false positive as suppressed, never active', () => {
    // Arrange / Act
    const fp = only(findings, 'Cross-Domain Misconfiguration');

    // Assert
    expect(fp.Workflow?.Status).toBe('SUPPRESSED');
    expect(fp.RecordState).toBe('ARCHIVED');
    expect(fp.ProductFields?.[FIELD.stateReason]).toBe('marked false positive in ZAP');
    expect(fp.Description).toMatch(/^\[Suppressed in zap: marked false positive in ZAP\]/);
    expect(fp.Confidence).toBe(0);
  });

  it('lists the affected URLs as resources, query stripped and deduplicated, with method and parameter', () => {
    // Arrange
    const xss = byTitle(findings, 'Cross Site Scripting (Reflected)').find((f) => field(f, 'Site')?.startsWith('https'))!;
    const modern = only(findings, 'Modern Web Application');

    // Act
    const xssResources = xss.Resources!.map((r) => [r.Type, r.Id, r.Details?.Other]);

    // Assert
    expect(xssResources).toEqual([
      ['Other', 'https://staging.hospital.example/patients/find', { Instances: '1', Methods: 'POST', Parameters: 'name' }],
      ['Other', 'https://staging.hospital.example/search', { Instances: '1', Methods: 'GET', Parameters: 'q' }],
    ]);
    expect(modern.Resources!.map((r) => r.Id)).toEqual(['https://staging.hospital.example/app']);
    expect(JSON.stringify(modern.Resources)).not.toContain('session=');
  });

  it('puts each instance’s method, URI, parameter, attack and evidence in the description', () => {
    // Arrange / Act
    const xss = byTitle(findings, 'Cross Site Scripting (Reflected)').find((f) => field(f, 'Site')?.startsWith('https'))!;

    // Assert
    expect(xss.Description).toContain('Cross-site Scripting (XSS) is an attack technique');
    expect(xss.Description).toContain("user's browser instance");
    expect(xss.Description).toContain('2 instance(s) on 2 URL(s) of https://staging.hospital.example.');
    expect(xss.Description).toContain('CWE-79, WASC-8, Confidence: Medium.');
    expect(xss.Description).toContain('POST https://staging.hospital.example/patients/find (param "name", attack "</p><script>alert(1);</script><p>"');
    expect(xss.Description).toContain('GET https://staging.hospital.example/search (param "q", attack "<script>alert(1);</script>", evidence "<script>alert(1);</script>")');
  });

  it('keeps an alert without instances, located at its site', () => {
    // Arrange / Act
    const fuzzer = only(findings, 'User Agent Fuzzer');

    // Assert
    expect(fuzzer.Resources!.map((r) => [r.Type, r.Id])).toEqual([['Other', 'https://staging.hospital.example']]);
    expect(fuzzer.Description).toContain('Reported for https://staging.hospital.example without instances.');
  });

  it('turns a positive CWE into a Types entry and ignores -1 and 0', () => {
    // Arrange / Act
    const xss = byTitle(findings, 'Cross Site Scripting (Reflected)')[0]!;
    const noCwe = [only(findings, 'Modern Web Application'), only(findings, 'User Agent Fuzzer')];

    // Assert
    expect(xss.Types).toEqual(['Software and Configuration Checks/Vulnerabilities/CWE-79']);
    expect(field(xss, 'CweId')).toBe('79');
    expect(field(xss, 'WascId')).toBe('8');
    for (const f of noCwe) {
      expect(f.Types).toEqual(['Software and Configuration Checks/Vulnerabilities']);
      expect(field(f, 'CweId')).toBeUndefined();
      expect(field(f, 'WascId')).toBeUndefined();
      expect(f.Description).not.toMatch(/CWE-|WASC-/);
    }
  });

  it('uses the solution as remediation text and the first reference as its URL, else the rule’s ZAP page', () => {
    // Arrange / Act
    const xss = byTitle(findings, 'Cross Site Scripting (Reflected)').find((f) => field(f, 'Site')?.startsWith('https'))!;
    const modern = only(findings, 'Modern Web Application');

    // Assert
    expect(xss.Remediation?.Recommendation).toEqual({
      Text: 'Phase: Architecture and Design Use a vetted library or framework that does not allow this weakness to occur.',
      Url: 'https://owasp.org/www-community/attacks/xss/',
    });
    expect(field(xss, 'References')).toBe('https://owasp.org/www-community/attacks/xss/ https://cwe.mitre.org/data/definitions/79.html');
    expect(modern.Remediation?.Recommendation?.Url).toBe('https://www.zaproxy.org/docs/alerts/10109/');
  });

  it('uses alertRef as the rule, so variants of one plugin are separate rules', () => {
    // Arrange / Act
    const wildcard = only(findings, 'CSP: Wildcard Directive');
    const unsafeInline = only(findings, 'CSP: style-src unsafe-inline');

    // Assert
    expect(wildcard.GeneratorId).toBe('zap/10055-4');
    expect(unsafeInline.GeneratorId).toBe('zap/10055-6');
    expect(field(wildcard, 'PluginId')).toBe('10055');
    expect(wildcard.ProductFields?.[FIELD.location]).toBe('https://staging.hospital.example');
  });

  it('keeps the reported count when ZAP lists fewer instances than it found', () => {
    // Arrange / Act
    const modern = only(findings, 'Modern Web Application');

    // Assert
    expect(field(modern, 'Instances')).toBe('5');
    expect(field(modern, 'ListedInstances')).toBe('2');
    expect(modern.Description).toContain('5 instance(s) (2 listed) on 1 URL(s)');
    expect(report.warnings).toEqual([expect.stringContaining('1 alert lists fewer instances than its "count"')]);
  });

  it('does not repeat the alert-level other info when it is the first instance’s', () => {
    // Arrange / Act
    const wildcard = only(findings, 'CSP: Wildcard Directive');

    // Assert
    expect(wildcard.Description).toContain('info "The following directives');
    expect(wildcard.Description).not.toContain('Other info:');
    expect(field(wildcard, 'OtherInfo')).toBe(
      'The following directives either allow wildcard sources (or ancestors), are not defined, or are overly broadly defined:\ndefault-src',
    );
  });
});

describe('zapParser.parse: XML and xml-plus report', () => {
  const report = zapParser.parse(fixtureDoc('xml-plus-2.11.xml'));
  const findings = findingsOf(report);

  it('reads every alertitem of every site, with XML entities and HTML decoded', () => {
    // Arrange / Act
    const sqli = only(findings, 'SQL Injection');

    // Assert
    expect(findings).toHaveLength(6);
    expect(problemsOf(findings)).toEqual([]);
    expect(report.toolVersion).toBe('2.11.1');
    expect(report.stats).toEqual({ sites: 2, alerts: 6, instances: 5, falsePositives: 0 });
    expect(sqli.Severity).toEqual({ Label: 'HIGH', Original: 'High (Medium)' });
    expect(sqli.Description).toContain('attack "admin\' AND \'1\'=\'1\' --"');
    expect(sqli.Remediation?.Recommendation?.Text).toBe(
      'Do not trust client side input, even if there is client side validation in place. In general, type check all data on the server side.',
    );
    expect(field(sqli, 'Site')).toBe('http://portal.staging.internal:8080');
  });

  it('takes the response status line from xml-plus but never carries request or response bodies', () => {
    // Arrange / Act
    const sqli = only(findings, 'SQL Injection');

    // Assert
    expect(sqli.Resources![0]!.Details?.Other).toEqual({ Instances: '1', Methods: 'POST', Parameters: 'username', ResponseStatus: 'HTTP/1.1 302 Found' });
    expect(JSON.stringify(findings)).not.toContain('Create db button --&gt;&lt;/html');
    expect(JSON.stringify(findings)).not.toContain('password=x');
  });

  it('gives distinct, labelled Ids to alerts that share a rule in one site', () => {
    // Arrange
    const comments = byTitle(findings, 'Information Disclosure - Suspicious Comments');
    const cache = findings.filter((f) => f.GeneratorId === 'zap/10015');

    // Act
    const locations = [...comments, ...cache].map((f) => f.ProductFields?.[FIELD.location]);

    // Assert
    expect(new Set([...comments, ...cache].map((f) => f.Id)).size).toBe(4);
    expect(locations).toEqual([
      'http://portal.staging.internal:8080 [title=information disclosure - suspicious comments; risk=0; confidence=2]',
      'http://portal.staging.internal:8080 [title=information disclosure - suspicious comments; risk=0; confidence=1]',
      'http://portal.staging.internal:8080 [title=incomplete or no cache-control header set]',
      'http://portal.staging.internal:8080 [title=re-examine cache-control directives]',
    ]);
  });

  it('keeps an alert whose <instances> element is empty', () => {
    // Arrange / Act
    const nonStorable = only(findings, 'Non-Storable Content');

    // Assert
    expect(nonStorable.Resources!.map((r) => r.Id)).toEqual(['http://portal.staging.internal:8080']);
  });
});

describe('zapParser.parse: old JSON converted from XML (2.8)', () => {
  it('reads a single site object, single-instance objects, instance wrappers and numbers', () => {
    // Arrange
    const doc = fixtureDoc('legacy-2.8.json');

    // Act
    const report = zapParser.parse(doc);
    const findings = findingsOf(report);

    // Assert
    expect(problemsOf(findings)).toEqual([]);
    expect(report.toolVersion).toBe('2.8.0');
    expect(report.stats).toEqual({ sites: 1, alerts: 2, instances: 3, falsePositives: 0 });
    expect(findings.map((f) => [f.GeneratorId, f.Severity?.Label, f.Resources!.map((r) => r.Id)])).toEqual([
      ['zap/10016', 'LOW', ['http://legacy.staging.example/']],
      ['zap/10020', 'MEDIUM', ['http://legacy.staging.example/', 'http://legacy.staging.example/login']],
    ]);
    expect(findings[0]!.Types).toEqual(['Software and Configuration Checks/Vulnerabilities/CWE-933']);
  });

  it('reads an alert list given as one object or as an alertitem wrapper', () => {
    // Arrange
    const legacy = fixtureJson('legacy-2.8.json');
    const [first, second] = legacy.site.alerts;
    const single = jsonDoc({ ...legacy, site: { ...legacy.site, alerts: first } });
    const wrapped = jsonDoc({ ...legacy, site: [{ ...legacy.site, alerts: { alertitem: [first, second] } }] });

    // Act
    const counts = [zapParser.parse(single), zapParser.parse(wrapped)].map((r) => r.drafts.length);

    // Assert
    expect(counts).toEqual([1, 2]);
  });

  it('rebuilds a missing site name from host, port and ssl', () => {
    // Arrange
    const legacy = fixtureJson('legacy-2.8.json');
    delete legacy.site['@name'];
    legacy.site['@port'] = 8443;
    legacy.site['@ssl'] = true;

    // Act
    const [draft] = zapParser.parse(jsonDoc(legacy)).drafts;

    // Assert
    expect(draft!.productFields?.Site).toBe('https://legacy.staging.example:8443');
  });
});

describe('zapParser.parse: identity', () => {
  const idsByTitle = (value: unknown): Map<string, string> =>
    new Map(findingsOf(zapParser.parse(jsonDoc(value))).map((f) => [`${field(f, 'Site')} ${f.Title}`, f.Id!]));

  it('gives the remaining alerts the same Ids when a later scan of the site no longer has one alert', () => {
    // Arrange
    const first = fixtureJson('traditional-2.16.json');
    const second = fixtureJson('traditional-2.16.json');
    second.site[0].alerts.splice(1, 1); // CSP: Wildcard Directive fixed
    second.site[0].alerts[0].instances.pop(); // and one XSS instance gone

    // Act
    const before = idsByTitle(first);
    const after = idsByTitle(second);

    // Assert
    expect(after.size).toBe(before.size - 1);
    for (const [key, id] of after) expect(before.get(key)).toBe(id);
  });

  it('does not depend on the order of sites, alerts or instances', () => {
    // Arrange
    const original = fixtureJson('traditional-2.16.json');
    const shuffled = fixtureJson('traditional-2.16.json');
    shuffled.site.reverse();
    for (const site of shuffled.site) {
      site.alerts.reverse();
      for (const alert of site.alerts) alert.instances.reverse();
    }

    // Act
    const a = findingsOf(zapParser.parse(jsonDoc(original)));
    const b = findingsOf(zapParser.parse(jsonDoc(shuffled)));
    const content = (fs: AwsSecurityFinding[]) => new Map(fs.map((f) => [f.Id, f.ProductFields?.[FIELD.contentHash]]));

    // Assert
    expect(content(b)).toEqual(content(a));
  });

  it('keeps the Ids of same-rule variants when the alerts swap places', () => {
    // Arrange
    const xml = fixtureDoc('xml-plus-2.11.xml');
    const root = (xml.value as FixtureJson).OWASPZAPReport;
    const alerts = root.site[0].alerts.alertitem as unknown[];
    const swapped = { ...xml, value: { OWASPZAPReport: { ...root, site: [{ ...root.site[0], alerts: { alertitem: [...alerts].reverse() } }] } } };

    // Act
    const ids = (doc: typeof xml) => findingsOf(zapParser.parse(doc)).map((f) => `${f.Title}|${f.Confidence}|${f.Id}`).sort();

    // Assert
    expect(ids(swapped)).toEqual(ids(xml));
  });

  it('treats https://host and https://host:443/ as the same site', () => {
    // Arrange
    const plain = fixtureJson('traditional-2.16.json');
    const withPort = fixtureJson('traditional-2.16.json');
    withPort.site[0]['@name'] = 'https://STAGING.hospital.example:443/';

    // Act
    const idsOf = (value: unknown) => findingsOf(zapParser.parse(jsonDoc(value))).map((f) => f.Id);

    // Assert
    expect(idsOf(withPort)).toEqual(idsOf(plain));
  });

  it('gives exact duplicate alerts distinct Ids', () => {
    // Arrange
    const legacy = fixtureJson('legacy-2.8.json');
    legacy.site.alerts.push(structuredClone(legacy.site.alerts[1]));

    // Act
    const findings = findingsOf(zapParser.parse(jsonDoc(legacy)));

    // Assert
    expect(new Set(findings.map((f) => f.Id)).size).toBe(3);
    expect(findings[2]!.ProductFields?.[FIELD.location]).toMatch(/; #2\]$/);
  });
});

describe('zapParser.parse: size', () => {
  function alertWithUrls(count: number): Record<string, unknown> {
    return {
      pluginid: '10096',
      alertRef: '10096',
      alert: 'Timestamp Disclosure - Unix',
      riskcode: '0',
      confidence: '1',
      riskdesc: 'Informational (Low)',
      desc: '<p>A timestamp was disclosed by the application/web server - Unix</p>',
      instances: Array.from({ length: count }, (_, i) => ({
        uri: `https://staging.hospital.example/page/${String(i).padStart(4, '0')}?t=${i}`,
        method: 'GET',
        param: '',
        attack: i === count - 1 ? 'payload' : '',
        evidence: i % 2 === 0 ? String(1_700_000_000 + i) : '',
        otherinfo: '',
      })),
      count: String(count),
      solution: '<p>Manually confirm that the timestamp data is not sensitive.</p>',
      reference: '',
      cweid: '200',
      wascid: '13',
      sourceid: '3',
    };
  }

  it('keeps the 32 most useful URLs and records how many were left out', () => {
    // Arrange
    const value = { '@version': '2.16.0', site: [{ '@name': 'https://staging.hospital.example', alerts: [alertWithUrls(100)] }] };

    // Act
    const [finding] = findingsOf(zapParser.parse(jsonDoc(value)));

    // Assert
    expect(finding!.Resources).toHaveLength(32);
    expect(finding!.ProductFields?.[FIELD.resourcesOmitted]).toBe('68');
    expect(finding!.Resources![0]!.Id).toBe('https://staging.hospital.example/page/0099'); // the attacked one
    expect(finding!.Resources![1]!.Id).toBe('https://staging.hospital.example/page/0000'); // then those with evidence
    expect(finding!.Resources!.slice(1).every((r) => Number(r.Id!.slice(-4)) % 2 === 0)).toBe(true);
    expect(field(finding!, 'Urls')).toBe('100');
  });

  it('cuts megabyte evidence and other info early and stays under the 240 KB finding limit', () => {
    // Arrange
    const huge = 'A'.repeat(1_500_000);
    const alert = alertWithUrls(3) as FixtureJson;
    alert.otherinfo = `<p>${huge}</p>`;
    alert.desc = `<p>${huge}</p>`;
    alert.solution = huge;
    alert.reference = `<p>https://example.com/${huge}</p>`;
    for (const instance of alert.instances) Object.assign(instance, { evidence: huge, otherinfo: huge, param: huge, attack: huge, uri: `https://staging.hospital.example/${huge}` });
    const value = { '@version': '2.16.0', site: [{ '@name': 'https://staging.hospital.example', alerts: [alert] }] };

    // Act
    const report = zapParser.parse(jsonDoc(value));
    const findings = findingsOf(report);

    // Assert
    expect(problemsOf(findings)).toEqual([]);
    expect(jsonBytes(findings[0])).toBeLessThan(40_000);
    const { evidence, ...carried } = report.drafts[0]!;
    expect(jsonBytes(carried)).toBeLessThan(60_000);
    // The cut other info is kept whole as evidence, for the importer to store beside the report.
    expect(evidence).toEqual([{ name: 'OtherInfo', text: `<p>${huge}</p>` }]);
    expect(findings[0]!.ProductFields!['devsecops/Evidence/OtherInfo/Bytes']).toBe(String(huge.length + 7));
  });

  it('keeps the request and response of the first instance that carries them, whatever the alert\'s size', () => {
    // Arrange
    const alert = alertWithUrls(10) as FixtureJson;
    alert.instances.forEach((instance: Record<string, unknown>, i: number) => Object.assign(instance, { 'request-header': `GET /${i} HTTP/1.1`, 'response-header': 'HTTP/1.1 200 OK', 'response-body': `body ${i}` }));
    const value = { '@version': '2.16.0', site: [{ '@name': 'https://staging.hospital.example', alerts: [alert] }] };
    // Act
    const [draft] = zapParser.parse(jsonDoc(value)).drafts;
    // Assert
    const requests = draft!.evidence!.find((e) => e.name === 'Requests')!.text;
    expect(requests.match(/^### /gm)).toHaveLength(1);
    expect(requests).toMatch(/^Requests and responses of 1 of the alert's 10 instance\(s\) that carry them/);
  });

  it('keeps the whole other info and the instances\' requests and responses as evidence, linked and hashed whole', () => {
    // Arrange
    const otherInfo = `<p>${'x'.repeat(1_460_000)}</p>`;
    const alertOf = (tail: string) => {
      const alert = alertWithUrls(2) as FixtureJson;
      alert.otherinfo = otherInfo + tail;
      Object.assign(alert.instances[0]!, { 'request-header': 'GET /a HTTP/1.1\r\nHost: staging.hospital.example', 'request-body': '', 'response-header': 'HTTP/1.1 200 OK', 'response-body': '<html>ok</html>' });
      return { '@version': '2.16.0', site: [{ '@name': 'https://staging.hospital.example', alerts: [alert] }] };
    };
    const scope = { awsAccountId: '111122223333', region: 'eu-west-1', partition: 'aws' as const, tool: 'zap', repository: 'r', branch: 'main', evidenceLocation: 's3://reports/evidence/' };

    // Act
    const [first] = buildFindings(zapParser.parse(jsonDoc(alertOf(''))), scope, '2026-12-02T00:00:00Z');
    const [changedPastTheCut] = buildFindings(zapParser.parse(jsonDoc(alertOf('!'))), scope, '2026-12-02T00:00:00Z');

    // Assert
    const fields = first!.ProductFields!;
    expect(fields['devsecops/Evidence/OtherInfo']).toMatch(/^s3:\/\/reports\/evidence\/sha256\/[0-9a-f]{64}$/);
    expect(fields['devsecops/Evidence/Requests']).toMatch(/^s3:\/\/reports\/evidence\/sha256\/[0-9a-f]{64}$/);
    expect(fields['devsecops/ContentHash']).not.toBe(changedPastTheCut!.ProductFields!['devsecops/ContentHash']);
    expect(first!.Description).toBe(changedPastTheCut!.Description);
    expect(jsonBytes(first)).toBeLessThan(240 * 1024);
  });

  it('reads a report with 30,000 instances', () => {
    // Arrange
    const alerts = Array.from({ length: 30 }, (_, i) => ({ ...alertWithUrls(1_000), alertRef: `10096-${i}` }));
    const value = { '@version': '2.16.0', site: [{ '@name': 'https://staging.hospital.example', alerts }] };

    // Act
    const report = zapParser.parse(jsonDoc(value));

    // Assert
    expect(report.stats?.instances).toBe(30_000);
  });
});

describe('zapParser.parse: bad input', () => {
  it('throws a ReportError naming the source for a document that is not a ZAP report', () => {
    // Arrange
    const doc = jsonDoc({ runs: [] }, 's3://reports/dast.json');

    // Act
    const parse = () => zapParser.parse(doc);

    // Assert
    expect(parse).toThrow(ReportError);
    expect(parse).toThrow('s3://reports/dast.json: is not a ZAP traditional report');
  });

  it('skips entries of the wrong type with a warning instead of failing', () => {
    // Arrange
    const legacy = fixtureJson('legacy-2.8.json');
    legacy.site = [legacy.site, 42, 'text'];
    legacy.site[0].alerts.push(null, 'x');
    legacy.site[0].alerts[1].instances.instance.push(7);

    // Act
    const report = zapParser.parse(jsonDoc(legacy));

    // Assert
    expect(report.drafts).toHaveLength(2);
    expect(report.warnings).toEqual([
      '2 site entries are not objects and were skipped',
      '2 alert entries are not objects and were skipped',
      '1 instance entry is not an object and was skipped',
    ]);
  });

  it('guesses the label from riskdesc when riskcode is unknown, and says so', () => {
    // Arrange
    const legacy = fixtureJson('legacy-2.8.json');
    legacy.site.alerts[0].riskcode = 'n/a';
    legacy.site.alerts[0].riskdesc = 'High (Medium)';
    legacy.site.alerts[1].riskcode = 9;
    delete legacy.site.alerts[1].riskdesc;

    // Act
    const report = zapParser.parse(jsonDoc(legacy), { defaultSeverity: 'LOW' });

    // Assert
    expect(report.drafts.map((d) => d.severity)).toEqual([
      { label: 'HIGH', original: 'High (Medium)' },
      { label: 'LOW', original: 'riskcode 9' },
    ]);
    expect(report.warnings).toContain('2 alerts have no known riskcode (0-3); severity taken from riskdesc or defaulted');
  });

  it('identifies an alert without alertRef and pluginid by its title', () => {
    // Arrange
    const legacy = fixtureJson('legacy-2.8.json');
    delete legacy.site.alerts[0].pluginid;

    // Act
    const report = zapParser.parse(jsonDoc(legacy));

    // Assert
    expect(report.drafts[0]!.ruleId).toBe('alert:Web Browser XSS Protection Not Enabled');
    expect(report.warnings).toContain('1 alert has neither alertRef nor pluginid; identified by title');
  });
});
