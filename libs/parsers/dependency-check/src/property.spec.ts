import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ParsedReport } from '@devsecops/asff';
import { ReportError, readReport, type ReportDocument } from '@devsecops/report-input';
import { sharedFixtures } from '@devsecops/test-support';
import { dependencyCheckParser } from './parser';
import { findingsOf, fixtureDoc, jsonDoc, problemsOf, xmlDoc } from './testing/helpers';

/**
 * Whatever the input, parse either returns drafts that all build into valid findings with unique Ids, or throws a
 * ReportError. Any other exception is a bug.
 */
function checkOutcome(doc: ReportDocument): void {
  let report: ParsedReport;
  try {
    report = dependencyCheckParser.parse(doc);
  } catch (error) {
    if (error instanceof ReportError) return;
    throw error;
  }
  const findings = findingsOf(report);
  expect(problemsOf(findings)).toEqual([]);
  expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
}

type Path = Array<string | number>;

/** Every path to a value in a JSON/XML tree (the root excluded). */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      pathsOf(item, [...prefix, i], out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

interface Target {
  at: number;
  /** Pick among paths inside dependencies' identifiers and vulnerabilities, where the parser does most of its work. */
  focus: boolean;
}

type Mutation = Target &
  ({ kind: 'delete' } | { kind: 'replace'; value: unknown } | { kind: 'huge'; value: string } | { kind: 'wrap' } | { kind: 'unwrap' });

const FOCUS = /^(vulnerabilit|suppressedVulnerabilit|packages?$|identifiers?$|vulnerabilityIds$|relatedDependenc|filePath$|fileName$|cvss|severity$|name$|cwes?$)/;

const HUGE_STRINGS = [
  'x'.repeat(70_000),
  '😀'.repeat(20_000),
  `CVE-2024-${'9'.repeat(5000)}`,
  `pkg:npm/${'a'.repeat(30_000)}@1.0.0`,
  `cpe:2.3:a:${'v:'.repeat(5000)}`,
  ` ${'\n\t '.repeat(10_000)}`,
  `https://example.org/${'a'.repeat(5000)}`,
  `CVSS:4.0${'/AV:N'.repeat(5000)}`,
  'file:///%E0%A4%A/broken.jar',
  `.${'a.'.repeat(20_000)}:x`,
];

const target = { at: fc.nat(), focus: fc.boolean() };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ ...target, kind: fc.constant('delete' as const) }),
  fc.record({ ...target, kind: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ ...target, kind: fc.constant('huge' as const), value: fc.constantFrom(...HUGE_STRINGS) }),
  fc.record({ ...target, kind: fc.constant('wrap' as const) }),
  fc.record({ ...target, kind: fc.constant('unwrap' as const) }),
);

function applyMutation(root: unknown, m: Mutation): void {
  const all = pathsOf(root);
  const focused = all.filter((p) => typeof p[p.length - 1] === 'string' && FOCUS.test(String(p[p.length - 1])));
  const paths = m.focus && focused.length > 0 ? focused : all;
  if (paths.length === 0) return;
  const path = paths[m.at % paths.length]!;
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  const current = parent[key];
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (m.kind === 'replace' || m.kind === 'huge') {
    parent[key] = m.value;
  } else if (m.kind === 'wrap') {
    parent[key] = [current];
  } else if (Array.isArray(current)) {
    parent[key] = current[0];
  }
}

function mutated(value: unknown, mutations: readonly Mutation[]): unknown {
  const copy = structuredClone(value);
  for (const m of mutations) applyMutation(copy, m);
  return copy;
}

const seeds: Array<{ name: string; doc: ReportDocument }> = [
  { name: 'report-schema-1.1.json', doc: fixtureDoc('report-schema-1.1.json') },
  { name: 'schema-4.1-multi.xml', doc: fixtureDoc('schema-4.1-multi.xml') },
  { name: 'schema-1.3-single.xml', doc: fixtureDoc('schema-1.3-single.xml') },
  ...sharedFixtures('dependency-check')
    .filter((file) => /dd__|dcsonar__/.test(basename(file)))
    .map((file) => ({ name: basename(file), doc: readReport(readFileSync(file), file) })),
];

describe('parse never crashes', () => {
  it('on arbitrary JSON documents', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => checkOutcome(jsonDoc(value))),
      { numRuns: 300 },
    );
  });

  it('on arbitrary values in the places a report puts dependencies and vulnerabilities', () => {
    const anyValue = fc.jsonValue({ maxDepth: 3 });
    const vulnerability = fc.dictionary(fc.constantFrom('name', 'source', 'severity', 'cvssv2', 'cvssv3', 'cvssv4', 'cwes', 'references', 'vulnerableSoftware', 'knownExploitedVulnerability', 'notes', 'description'), anyValue);
    const dependency = fc.record(
      {
        fileName: anyValue,
        filePath: anyValue,
        packages: fc.oneof(anyValue, fc.array(fc.record({ id: fc.oneof(fc.string(), anyValue), confidence: anyValue }))),
        vulnerabilityIds: anyValue,
        relatedDependencies: anyValue,
        vulnerabilities: fc.oneof(anyValue, fc.array(vulnerability)),
        suppressedVulnerabilities: fc.oneof(anyValue, fc.array(vulnerability)),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(dependency, anyValue), { maxLength: 6 }), (dependencies) => {
        checkOutcome(jsonDoc({ reportSchema: '1.1', scanInfo: { engineVersion: '12.1.1' }, dependencies }));
        checkOutcome(xmlDoc({ analysis: { dependencies: { dependency: dependencies } } }));
      }),
      { numRuns: 300 },
    );
  });

  it.each(seeds.map((s) => [s.name, s.doc] as const))('on mutations of %s (dropped fields, wrong types, huge strings)', (_name, doc) => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const value = mutated(doc.value, mutations);
        checkOutcome({ ...doc, value });
      }),
      { numRuns: 150 },
    );
  });
});
