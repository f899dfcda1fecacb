/**
 * Large, realistic reports for benchmarks and scale tests, generated deterministically (no randomness, so every
 * run measures the same bytes). Shapes follow the real formats in ../shared/fixtures.
 */

const CVSS3 = ['NETWORK', 'LOW', 'NONE', 'NONE', 'UNCHANGED', 'HIGH', 'HIGH', 'HIGH'];

function repeatUntil(targetBytes: number, make: (i: number) => string, separator = ','): { body: string; count: number } {
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  while (size < targetBytes) {
    const part = make(i);
    parts.push(part);
    size += part.length + separator.length;
    i += 1;
  }
  return { body: parts.join(separator), count: i };
}

/** Dependency-Check JSON (schema 1.1) with two vulnerabilities per dependency. */
export function generateDependencyCheckJson(targetBytes: number): { text: string; findings: number } {
  const { body, count } = repeatUntil(targetBytes, (i) =>
    JSON.stringify({
      isVirtual: i % 5 === 0,
      fileName: `library-${i}-1.${i % 10}.0.jar`,
      filePath: `/codebuild/output/src1/src/target/lib/library-${i}-1.${i % 10}.0.jar`,
      sha256: (i * 2654435761).toString(16).padStart(64, '0'),
      evidenceCollected: { vendorEvidence: [{ type: 'vendor', confidence: 'HIGH', source: 'file', name: 'name', value: `vendor${i}` }], productEvidence: [], versionEvidence: [] },
      packages: [{ id: `pkg:maven/org.example${i % 97}/library-${i}@1.${i % 10}.0`, confidence: 'HIGH' }],
      vulnerabilityIds: [{ id: `cpe:2.3:a:example:library-${i}:1.${i % 10}.0:*:*:*:*:*:*:*`, confidence: 'HIGHEST' }],
      vulnerabilities: [0, 1].map((v) => ({
        source: 'NVD',
        name: `CVE-20${20 + (i % 6)}-${10000 + i * 2 + v}`,
        severity: v === 0 ? 'HIGH' : 'MEDIUM',
        cvssv2: { score: 6.8, accessVector: 'NETWORK', accessComplexity: 'MEDIUM', authenticationr: 'NONE', confidentialImpact: 'PARTIAL', integrityImpact: 'PARTIAL', availabilityImpact: 'PARTIAL', severity: 'MEDIUM', version: '2.0' },
        cvssv3: {
          baseScore: v === 0 ? 8.1 : 5.3,
          attackVector: CVSS3[0],
          attackComplexity: CVSS3[1],
          privilegesRequired: CVSS3[2],
          userInteraction: CVSS3[3],
          scope: CVSS3[4],
          confidentialityImpact: CVSS3[5],
          integrityImpact: v === 0 ? 'HIGH' : 'NONE',
          availabilityImpact: v === 0 ? 'HIGH' : 'NONE',
          baseSeverity: v === 0 ? 'HIGH' : 'MEDIUM',
          version: '3.1',
        },
        cwes: ['CWE-502'],
        description: `Deserialization of untrusted data in library-${i} allows remote attackers to execute code. `.repeat(3),
        notes: '',
        references: [
          { source: 'NVD', url: `https://nvd.nist.gov/vuln/detail/CVE-20${20 + (i % 6)}-${10000 + i * 2 + v}`, name: 'NVD' },
          { source: 'MISC', url: `https://github.com/example/library-${i}/security/advisories/GHSA-${i}`, name: 'advisory' },
        ],
        vulnerableSoftware: [{ software: { id: `cpe:2.3:a:example:library-${i}:*:*:*:*:*:*:*:*`, vulnerabilityIdMatched: 'true', versionEndExcluding: `1.${(i % 10) + 1}.0` } }],
      })),
    }),
  );
  const text = `{"reportSchema":"1.1","scanInfo":{"engineVersion":"12.1.1"},"projectInfo":{"name":"bench","reportDate":"2026-11-22T00:00:00Z"},"dependencies":[${body}]}`;
  return { text, findings: count * 2 };
}

/** SARIF 2.1.0 (Semgrep-like) with fingerprints, CWE tags and security-severity. */
export function generateSarif(targetBytes: number): { text: string; findings: number } {
  const rules = Array.from({ length: 50 }, (_, r) => ({
    id: `rules.security.rule-${r}`,
    name: `rule-${r}`,
    shortDescription: { text: `Rule ${r}` },
    helpUri: `https://semgrep.dev/r/rule-${r}`,
    defaultConfiguration: { level: r % 3 === 0 ? 'error' : 'warning' },
    properties: { tags: [`CWE-${79 + r}: Example weakness ${r}`, 'security'], 'security-severity': String((r % 10) + 0.5) },
  }));
  const { body, count } = repeatUntil(targetBytes, (i) =>
    JSON.stringify({
      ruleId: `rules.security.rule-${i % 50}`,
      ruleIndex: i % 50,
      level: i % 3 === 0 ? 'error' : 'warning',
      message: { text: `Untrusted input reaches a sensitive sink in handler ${i}; validate or encode it before use.` },
      locations: [{ physicalLocation: { artifactLocation: { uri: `src/module${i % 400}/file${i}.ts`, uriBaseId: '%SRCROOT%' }, region: { startLine: (i % 900) + 1, startColumn: 5, endLine: (i % 900) + 2, snippet: { text: `const value = request.query.param${i};` } } } }],
      fingerprints: { 'matchBasedId/v1': (i * 40503).toString(16).padStart(40, 'a') },
    }),
  );
  const text = `{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"Semgrep OSS","semanticVersion":"1.61.1","rules":${JSON.stringify(rules)}}},"results":[${body}]}]}`;
  return { text, findings: count };
}

/** PHPStan --error-format=json with identifiers and tips. */
export function generatePhpstan(targetBytes: number): { text: string; findings: number } {
  const perFile = 10;
  const { body, count } = repeatUntil(targetBytes, (f) =>
    `${JSON.stringify(`/codebuild/output/src1/src/app/Module${f % 100}/Service${f}.php`)}:${JSON.stringify({
      errors: perFile,
      messages: Array.from({ length: perFile }, (_, m) => ({
        message: `Call to an undefined method App\\Module${f % 100}\\Service${f}::method${m}().`,
        line: m * 7 + 3,
        ignorable: m % 4 !== 0,
        identifier: m % 2 === 0 ? 'method.notFound' : 'argument.type',
        tip: 'Learn more: https://phpstan.org/blog/solving-phpstan-error-undefined-method',
      })),
    })}`,
  );
  const text = `{"totals":{"errors":0,"file_errors":${count * perFile}},"files":{${body}},"errors":[]}`;
  return { text, findings: count * perFile };
}

/** ZAP traditional JSON: one site, many alerts, 20 instances each. */
export function generateZapJson(targetBytes: number): { text: string; findings: number } {
  const { body, count } = repeatUntil(targetBytes, (a) =>
    JSON.stringify({
      pluginid: String(10000 + a),
      alertRef: String(10000 + a),
      alert: `Cross Site Scripting variant ${a}`,
      name: `Cross Site Scripting variant ${a}`,
      riskcode: String(a % 4),
      confidence: String((a % 3) + 1),
      riskdesc: ['Informational', 'Low', 'Medium', 'High'][a % 4] + ' (Medium)',
      desc: `<p>Cross-site Scripting (XSS) is an attack technique that involves echoing attacker-supplied code into a user's browser instance. Variant ${a}.</p>`,
      instances: Array.from({ length: 20 }, (_, n) => ({
        uri: `https://staging.example.com/app/page${n}?q=${a}`,
        method: n % 2 ? 'POST' : 'GET',
        param: `param${n}`,
        attack: `<scrIpt>alert(${a})</scRipt>`,
        evidence: `<scrIpt>alert(${a})</scRipt>`,
        otherinfo: '',
      })),
      count: '20',
      solution: '<p>Phase: Architecture and Design</p><p>Use a vetted library or framework that does not allow this weakness to occur.</p>',
      otherinfo: '',
      reference: '<p>https://owasp.org/www-community/attacks/xss/</p><p>https://cwe.mitre.org/data/definitions/79.html</p>',
      cweid: '79',
      wascid: '8',
      sourceid: '1',
    }),
  );
  const text = `{"@programName":"ZAP","@version":"2.16.0","@generated":"Sun, 22 Nov 2026 10:00:00","site":[{"@name":"https://staging.example.com","@host":"staging.example.com","@port":"443","@ssl":"true","alerts":[${body}]}]}`;
  return { text, findings: count };
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Dependency-Check XML (schema 2.5 namespace), two vulnerabilities per dependency. */
export function generateDependencyCheckXml(targetBytes: number): { text: string; findings: number } {
  const { body, count } = repeatUntil(
    targetBytes,
    (i) => {
      const vulns = [0, 1]
        .map(
          (v) => `<vulnerability source="NVD"><name>CVE-20${20 + (i % 6)}-${10000 + i * 2 + v}</name><severity>${v === 0 ? 'HIGH' : 'MEDIUM'}</severity>` +
            `<cvssV2><score>6.8</score><accessVector>NETWORK</accessVector><accessComplexity>MEDIUM</accessComplexity><authenticationr>NONE</authenticationr><confidentialImpact>PARTIAL</confidentialImpact><integrityImpact>PARTIAL</integrityImpact><availabilityImpact>PARTIAL</availabilityImpact><severity>MEDIUM</severity><version>2.0</version></cvssV2>` +
            `<cvssV3><baseScore>${v === 0 ? 8.1 : 5.3}</baseScore><attackVector>NETWORK</attackVector><attackComplexity>LOW</attackComplexity><privilegesRequired>NONE</privilegesRequired><userInteraction>NONE</userInteraction><scope>UNCHANGED</scope><confidentialityImpact>HIGH</confidentialityImpact><integrityImpact>${v === 0 ? 'HIGH' : 'NONE'}</integrityImpact><availabilityImpact>${v === 0 ? 'HIGH' : 'NONE'}</availabilityImpact><baseSeverity>${v === 0 ? 'HIGH' : 'MEDIUM'}</baseSeverity><version>3.1</version></cvssV3>` +
            `<cwes><cwe>CWE-502</cwe></cwes><description>${xmlEscape(`Deserialization of untrusted data in library-${i} allows remote attackers to execute code. `.repeat(3))}</description>` +
            `<references><reference><source>NVD</source><url>https://nvd.nist.gov/vuln/detail/CVE-20${20 + (i % 6)}-${10000 + i * 2 + v}</url><name>NVD</name></reference></references>` +
            `<vulnerableSoftware><software vulnerabilityIdMatched="true" versionEndExcluding="1.${(i % 10) + 1}.0">cpe:2.3:a:example:library-${i}:*:*:*:*:*:*:*:*</software></vulnerableSoftware></vulnerability>`,
        )
        .join('');
      return `<dependency isVirtual="false"><fileName>library-${i}-1.${i % 10}.0.jar</fileName><filePath>/codebuild/output/src1/src/target/lib/library-${i}-1.${i % 10}.0.jar</filePath>` +
        `<sha256>${(i * 2654435761).toString(16).padStart(64, '0')}</sha256><evidenceCollected><evidence type="vendor" confidence="HIGH"><source>file</source><name>name</name><value>vendor${i}</value></evidence></evidenceCollected>` +
        `<identifiers><package confidence="HIGH"><id>pkg:maven/org.example${i % 97}/library-${i}@1.${i % 10}.0</id></package></identifiers><vulnerabilities>${vulns}</vulnerabilities></dependency>`;
    },
    '\n',
  );
  const text = `<?xml version="1.0"?>\n<analysis xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.2.5.xsd"><scanInfo><engineVersion>12.1.1</engineVersion></scanInfo><projectInfo><name>bench</name><reportDate>2026-11-22T00:00:00Z</reportDate></projectInfo><dependencies>${body}</dependencies></analysis>`;
  return { text, findings: count * 2 };
}

/** ZAP traditional XML: one site, many alerts, 20 instances each. */
export function generateZapXml(targetBytes: number): { text: string; findings: number } {
  const { body, count } = repeatUntil(
    targetBytes,
    (a) => {
      const instances = Array.from(
        { length: 20 },
        (_, n) => `<instance><uri>https://staging.example.com/app/page${n}?q=${a}</uri><method>${n % 2 ? 'POST' : 'GET'}</method><param>param${n}</param><attack>&lt;scrIpt&gt;alert(${a})&lt;/scRipt&gt;</attack><evidence>&lt;scrIpt&gt;alert(${a})&lt;/scRipt&gt;</evidence><otherinfo></otherinfo></instance>`,
      ).join('');
      return `<alertitem><pluginid>${10000 + a}</pluginid><alertRef>${10000 + a}</alertRef><alert>Cross Site Scripting variant ${a}</alert><name>Cross Site Scripting variant ${a}</name><riskcode>${a % 4}</riskcode><confidence>${(a % 3) + 1}</confidence>` +
        `<riskdesc>${['Informational', 'Low', 'Medium', 'High'][a % 4]} (Medium)</riskdesc><desc>&lt;p&gt;Cross-site Scripting (XSS) is an attack technique that involves echoing attacker-supplied code into a user's browser instance. Variant ${a}.&lt;/p&gt;</desc>` +
        `<instances>${instances}</instances><count>20</count><solution>&lt;p&gt;Use a vetted library or framework that does not allow this weakness to occur.&lt;/p&gt;</solution><otherinfo></otherinfo>` +
        `<reference>&lt;p&gt;https://owasp.org/www-community/attacks/xss/&lt;/p&gt;</reference><cweid>79</cweid><wascid>8</wascid><sourceid>1</sourceid></alertitem>`;
    },
    '\n',
  );
  const text = `<?xml version="1.0"?><OWASPZAPReport programName="ZAP" version="2.16.0" generated="Sun, 22 Nov 2026 10:00:00"><site name="https://staging.example.com" host="staging.example.com" port="443" ssl="true"><alerts>${body}</alerts></site></OWASPZAPReport>`;
  return { text, findings: count };
}

export type GeneratedTool = 'dependency-check' | 'sarif' | 'phpstan' | 'zap' | 'dependency-check-xml' | 'zap-xml';

export const GENERATORS: Record<GeneratedTool, (targetBytes: number) => { text: string; findings: number }> = {
  'dependency-check': generateDependencyCheckJson,
  sarif: generateSarif,
  phpstan: generatePhpstan,
  zap: generateZapJson,
  'dependency-check-xml': generateDependencyCheckXml,
  'zap-xml': generateZapXml,
};

/** The parser each generated report is read by. */
export const PARSER_OF: Record<GeneratedTool, 'dependency-check' | 'sarif' | 'phpstan' | 'zap'> = {
  'dependency-check': 'dependency-check',
  sarif: 'sarif',
  phpstan: 'phpstan',
  zap: 'zap',
  'dependency-check-xml': 'dependency-check',
  'zap-xml': 'zap',
};



/** One evidence entry as Dependency-Check writes it (`evidenceCollected.{vendor,product,version}Evidence[]`). */
function evidence(type: string, i: number, e: number): Record<string, string> {
  const sources = ['file', 'Manifest', 'pom', 'package.json', 'jar'];
  const names = ['name', 'Implementation-Vendor', 'groupid', 'artifactid', 'Bundle-SymbolicName', 'url', 'description'];
  return {
    type,
    confidence: ['HIGHEST', 'HIGH', 'MEDIUM', 'LOW'][(i + e) % 4]!,
    source: sources[e % sources.length]!,
    name: names[e % names.length]!,
    value: `org.example${i % 97}.library-${i}.component-${e} https://github.com/example/library-${i}/tree/v1.${i % 10}.0/module-${e}`,
  };
}

/**
 * A big Dependency-Check JSON like the reports of large builds (dependency-check issue #6847): many dependencies,
 * each with its collected evidence (most of the bytes), and a vulnerability on one dependency in 30. Written to
 * `file` piece by piece (a 1 GB report is never one string); returns its size and finding count.
 * At 1 GB: ~75,000 dependencies and ~2,500 vulnerabilities.
 */
export function writeLargeDependencyCheckJson(file: string, targetBytes: number): { bytes: number; dependencies: number; findings: number } {
  const head =
    '{"reportSchema":"1.1","scanInfo":{"engineVersion":"12.1.1","dataSource":[{"name":"NVD API Last Checked","timestamp":"2026-11-22T00:00:00Z"}]},"projectInfo":{"name":"bench-large","reportDate":"2026-11-22T00:00:00Z"},"dependencies":[';
  const written = writeJsonList(file, targetBytes, head, ']}', (i) => {
    const vulnerable = i % 30 === 7;
    const dependency: Record<string, unknown> = {
      isVirtual: false,
      fileName: `library-${i}-1.${i % 10}.0.jar`,
      filePath: `/codebuild/output/src1/src/target/lib/library-${i}-1.${i % 10}.0.jar`,
      md5: (i * 40503).toString(16).padStart(32, '0'),
      sha1: (i * 2246822519).toString(16).padStart(40, '0'),
      sha256: (i * 2654435761).toString(16).padStart(64, '0'),
      evidenceCollected: {
        vendorEvidence: Array.from({ length: 28 }, (_, e) => evidence('vendor', i, e)),
        productEvidence: Array.from({ length: 28 }, (_, e) => evidence('product', i, e)),
        versionEvidence: Array.from({ length: 16 }, (_, e) => evidence('version', i, e)),
      },
      packages: [{ id: `pkg:maven/org.example${i % 97}/library-${i}@1.${i % 10}.0`, confidence: 'HIGH', url: `https://ossindex.sonatype.org/component/pkg:maven/org.example${i % 97}/library-${i}@1.${i % 10}.0` }],
      vulnerabilityIds: [{ id: `cpe:2.3:a:example:library-${i}:1.${i % 10}.0:*:*:*:*:*:*:*`, confidence: 'HIGHEST' }],
    };
    if (vulnerable) {
      dependency.vulnerabilities = [
        {
          source: 'NVD',
          name: `CVE-2026-${100000 + i}`,
          severity: 'HIGH',
          cvssv3: { baseScore: 8.1, attackVector: 'NETWORK', attackComplexity: 'LOW', privilegesRequired: 'NONE', userInteraction: 'NONE', scope: 'UNCHANGED', confidentialityImpact: 'HIGH', integrityImpact: 'HIGH', availabilityImpact: 'HIGH', baseSeverity: 'HIGH', version: '3.1' },
          cwes: ['CWE-502'],
          description: `Deserialization of untrusted data in library-${i} allows remote attackers to execute code. `.repeat(3),
          notes: '',
          references: Array.from({ length: 12 }, (_, r) => ({ source: 'MISC', url: `https://github.com/example/library-${i}/security/advisories/GHSA-${i}-${r}`, name: `advisory ${r}` })),
          vulnerableSoftware: [{ software: { id: `cpe:2.3:a:example:library-${i}:*:*:*:*:*:*:*:*`, vulnerabilityIdMatched: 'true', versionEndExcluding: `1.${(i % 10) + 1}.0` } }],
        },
      ];
    }
    return { json: JSON.stringify(dependency), findings: vulnerable ? 1 : 0 };
  });
  return { bytes: written.bytes, dependencies: written.items, findings: written.findings };
}

/** A large generated report: its size, its streamed list's entries and the findings they make. */
export interface LargeReport {
  bytes: number;
  items: number;
  findings: number;
}

/**
 * Writes `head`, entries from `make` (comma-separated) until `targetBytes`, then `tail`, to `file` piece by piece:
 * a 1 GB report is never one string.
 */
function writeJsonList(file: string, targetBytes: number, head: string, tail: string, make: (i: number) => { json: string; findings: number }): LargeReport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { openSync, writeSync, closeSync } = require('node:fs') as typeof import('node:fs');
  const fd = openSync(file, 'w');
  let bytes = 0;
  const write = (text: string) => {
    bytes += writeSync(fd, text);
  };
  let i = 0;
  let findings = 0;
  try {
    write(head);
    const pieces: string[] = [];
    while (bytes < targetBytes) {
      const entry = make(i);
      findings += entry.findings;
      pieces.push((i === 0 ? '' : ',') + entry.json);
      i += 1;
      if (pieces.length === 500) {
        write(pieces.join(''));
        pieces.length = 0;
      }
    }
    write(`${pieces.join('')}${tail}`);
  } finally {
    closeSync(fd);
  }
  return { bytes, items: i, findings };
}

/**
 * A big CodeQL-like SARIF log: the run's tool (80 rules with help) first, then results of path problems, each
 * with a 40-step data flow (codeFlows: most of the bytes, used by no finding) and related locations. One finding
 * per result. At 250 MB: about 28,000 results.
 */
export function writeLargeSarif(file: string, targetBytes: number): LargeReport {
  const rules = Array.from({ length: 80 }, (_, r) => ({
    id: `js/rule-${r}`,
    name: `js/rule-${r}`,
    shortDescription: { text: `Rule ${r}` },
    fullDescription: { text: `Untrusted data flows to a sensitive sink (rule ${r}).` },
    defaultConfiguration: { level: r % 3 === 0 ? 'error' : 'warning' },
    help: { text: `# Rule ${r}\n${'Validate or encode untrusted input before it reaches the sink. '.repeat(8)}`, markdown: `# Rule ${r}\n${'Validate or encode untrusted input. '.repeat(8)}` },
    helpUri: `https://codeql.github.com/codeql-query-help/javascript/js-rule-${r}/`,
    properties: { tags: ['security', `external/cwe/cwe-${79 + r}`], precision: 'high', 'security-severity': String((r % 10) + 0.5) },
  }));
  const head = `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"CodeQL","semanticVersion":"2.20.1","rules":${JSON.stringify(rules)}}},"invocations":[{"executionSuccessful":true}],"results":[`;
  const step = (i: number, s: number) => ({ location: { physicalLocation: { artifactLocation: { uri: `src/module${i % 400}/step${s}.js`, uriBaseId: '%SRCROOT%' }, region: { startLine: s + 1, startColumn: 3, endColumn: 40 } }, message: { text: `step ${s} of the flow` } } });
  return writeJsonList(file, targetBytes, head, '],"columnKind":"utf16CodeUnits"}]}', (i) => {
    const result: Record<string, unknown> = {
      ruleId: `js/rule-${i % 80}`,
      ruleIndex: i % 80,
      message: { text: `Untrusted input reaches a sensitive sink in handler ${i}; validate or encode it before use.` },
      locations: [{ physicalLocation: { artifactLocation: { uri: `src/module${i % 400}/file${i}.js`, uriBaseId: '%SRCROOT%' }, region: { startLine: (i % 900) + 1, startColumn: 5, endColumn: 42 } } }],
      partialFingerprints: { primaryLocationLineHash: `${(i * 40503).toString(16).padStart(16, '0')}:1` },
    };
    result.codeFlows = [{ threadFlows: [{ locations: Array.from({ length: 40 }, (_, s) => step(i, s)) }] }];
    result.relatedLocations = [{ id: 1, ...step(i, 0).location, message: { text: 'user-provided value' } }];
    return { json: JSON.stringify(result), findings: 1 };
  });
}

/**
 * A big ZAP traditional JSON: three sites, many alerts, each with 60 instances (most of the bytes). One finding
 * per alert. At 250 MB: about 12,000 alerts.
 */
export function writeLargeZapJson(file: string, targetBytes: number): LargeReport {
  const site = (n: number) => `{"@name":"https://app${n}.example.com","@host":"app${n}.example.com","@port":"443","@ssl":"true","alerts":[`;
  const head = `{"@programName":"ZAP","@version":"2.16.0","@generated":"Sun, 22 Nov 2026 10:00:00","site":[${site(0)}{"pluginid":"0","alert":"Site 0","riskcode":"0","instances":[]}]},${site(1)}{"pluginid":"0","alert":"Site 1","riskcode":"0","instances":[]}]},${site(2)}`;
  const written = writeJsonList(file, targetBytes, head, ']}]}', (a) => ({
    json: JSON.stringify({
      pluginid: String(10000 + (a % 300)),
      alertRef: `${10000 + (a % 300)}-${a}`,
      alert: `Cross Site Scripting variant ${a}`,
      name: `Cross Site Scripting variant ${a}`,
      riskcode: String(a % 4),
      confidence: String((a % 3) + 1),
      riskdesc: `${['Informational', 'Low', 'Medium', 'High'][a % 4]} (Medium)`,
      desc: `<p>Cross-site Scripting (XSS) is an attack technique that involves echoing attacker-supplied code into a user's browser instance. Variant ${a}.</p>`,
      instances: Array.from({ length: 60 }, (_, n) => ({
        uri: `https://app2.example.com/app/page${n}?q=${a}&session=${(a * 31 + n).toString(16)}`,
        method: n % 2 ? 'POST' : 'GET',
        param: `param${n}`,
        attack: `<scrIpt>alert(${a})</scRipt>`,
        evidence: `<scrIpt>alert(${a})</scRipt>`,
        otherinfo: n % 10 === 0 ? `The response to the request with parameter param${n} echoes the attack unencoded.` : '',
      })),
      count: '60',
      solution: '<p>Phase: Architecture and Design</p><p>Use a vetted library or framework that does not allow this weakness to occur.</p>',
      otherinfo: '',
      reference: '<p>https://owasp.org/www-community/attacks/xss/</p><p>https://cwe.mitre.org/data/definitions/79.html</p>',
      cweid: '79',
      wascid: '8',
      sourceid: '1',
    }),
    findings: 1,
  }));
  // The two small sites' alerts.
  return { bytes: written.bytes, items: written.items + 2, findings: written.findings + 2 };
}
