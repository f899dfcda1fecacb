import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ReportError, type ReportDocument } from '@devsecops/report-input';
import { asffProblems } from './__fixtures__/load';
import { sonarqubeParser } from './parser';

const FIXTURES = [
  'issues-sonarqube-8.9.json',
  'issues-sonarqube-10-mqr.json',
  'issues-sonarqube-8.1-hotspots-as-issues.json',
  'issues-dependency-check-plugin.json',
  'hotspots-reviewed.json',
  'issues-page-1.json',
].map((name) => JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as unknown);

function doc(value: unknown): ReportDocument {
  return { source: 'property.json', format: 'json', value, encoding: 'utf-8', skippedPrefix: 0, bytes: 0 };
}

/** Parses and checks: valid findings or a ReportError, never another exception. */
function parsesOrRejects(value: unknown, includeCodeSmells: boolean): void {
  let report;
  try {
    report = sonarqubeParser.parse(doc(value), { includeCodeSmells, serverUrl: 'https://sonar.example.com' });
  } catch (error) {
    if (error instanceof ReportError) return;
    throw error;
  }
  expect(asffProblems(report)).toEqual([]);
  const identities = report.drafts.map((d) => d.identity);
  expect(new Set(identities).size).toBe(identities.length);
}

type Path = readonly (string | number)[];

/** Every path (object keys and array indexes) inside a JSON value, the root included. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function replaceAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v));
  if (value && typeof value === 'object') return { ...(value as object), [head!]: replaceAt((value as Record<string, unknown>)[head as string], rest, replacement) };
  return value;
}

const awkward = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, '', ' ', 0, -1, 1e308, 'CVE-2020-1', 'Filename: a | References: x (9.9)', '__proto__', 'TO_REVIEW', 'BLOCKER', ':'),
  fc.string({ maxLength: 300 }),
);

describe('property: the parser never crashes', () => {
  it('arbitrary JSON gives valid findings or a ReportError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, smells) => parsesOrRejects(value, smells)),
      { numRuns: 300 },
    );
  });

  it('arbitrary issue and hotspot entries inside a valid envelope give valid findings', () => {
    const entry = fc.dictionary(
      fc.constantFrom('key', 'rule', 'ruleKey', 'type', 'severity', 'impacts', 'status', 'resolution', 'issueStatus', 'component', 'project', 'line', 'textRange', 'message', 'tags', 'vulnerabilityProbability', 'comments', 'branch'),
      awkward,
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.array(entry, { maxLength: 8 }), fc.boolean(), (issues, hotspots, smells) => {
        parsesOrRejects([{ paging: {}, issues, components: [] }, { paging: {}, hotspots }], smells);
      }),
      { numRuns: 300 },
    );
  });

  it('mutated fixtures (one value replaced anywhere) give valid findings or a ReportError', () => {
    const mutation = fc.integer({ min: 0, max: FIXTURES.length - 1 }).chain((which) => {
      const all = paths(FIXTURES[which]);
      return fc.tuple(fc.constant(which), fc.integer({ min: 0, max: all.length - 1 }).map((i) => all[i]!), awkward);
    });
    fc.assert(
      fc.property(mutation, fc.boolean(), ([which, path, replacement], smells) => {
        parsesOrRejects(replaceAt(FIXTURES[which], path, replacement), smells);
      }),
      { numRuns: 500 },
    );
  });

  it('the same report parsed twice gives the same drafts (pure, no clock)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: FIXTURES.length - 1 }), (which) => {
        expect(sonarqubeParser.parse(doc(FIXTURES[which]))).toEqual(sonarqubeParser.parse(doc(FIXTURES[which])));
      }),
      { numRuns: 20 },
    );
  });
});
