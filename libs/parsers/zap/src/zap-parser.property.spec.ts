import fc from 'fast-check';
import { ReportError, type ReportDocument } from '@devsecops/report-input';
import { fixtureDoc, fixtureJson, findingsOf, jsonDoc, problemsOf } from './__fixtures__/helpers';
import { zapParser } from './zap-parser';

/**
 * Parses and checks the one acceptable outcome: valid findings with unique Ids, or a ReportError about the input.
 * Returns the number of findings (-1 for a refusal) so a test can check that it exercised both outcomes.
 */
function parsesCleanlyOrRefuses(doc: ReportDocument): number {
  let findings;
  try {
    findings = findingsOf(zapParser.parse(doc));
  } catch (error) {
    expect(error).toBeInstanceOf(ReportError);
    // The catch-all in parse() wraps unexpected exceptions; reaching it would be a parser bug.
    expect((error as ReportError).problem).not.toMatch(/^could not be read as a ZAP report/);
    return -1;
  }
  expect(problemsOf(findings)).toEqual([]);
  expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  return findings.length;
}

type Container = Record<string, unknown> | unknown[];

/** Every (container, key) slot of a JSON tree, so a mutation can target any field at any depth. */
function slots(root: unknown): Array<[Container, string | number]> {
  const out: Array<[Container, string | number]> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push([node, i]);
        visit(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        out.push([node as Record<string, unknown>, key]);
        visit(child);
      }
    }
  };
  visit(root);
  return out;
}

const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('replace', 'delete', 'wrap-array', 'unwrap-array', 'duplicate', 'number-string'),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('', '-1', '0', '4', '99', 'NaN', '<p>x</p>', 'javascript:alert(1)', ' ', 'https://', null),
    fc.string({ unit: 'binary', maxLength: 40 }),
  ),
});

function mutate(root: unknown, mutations: ReadonlyArray<{ at: number; kind: string; value: unknown }>): unknown {
  for (const m of mutations) {
    const all = slots(root);
    if (all.length === 0) break;
    const [container, key] = all[m.at % all.length]!;
    const current = (container as Record<string | number, unknown>)[key];
    const set = (value: unknown) => ((container as Record<string | number, unknown>)[key] = value);
    switch (m.kind) {
      case 'replace':
        set(m.value);
        break;
      case 'delete':
        if (Array.isArray(container)) container.splice(key as number, 1);
        else delete container[key as string];
        break;
      case 'wrap-array':
        set([current]);
        break;
      case 'unwrap-array':
        if (Array.isArray(current)) set(current[0]);
        break;
      case 'duplicate':
        if (Array.isArray(container)) container.push(structuredClone(current));
        break;
      case 'number-string':
        set(typeof current === 'string' && /^-?\d+$/.test(current) ? Number(current) : current);
        break;
    }
  }
  return root;
}

describe('zapParser properties', () => {
  it('arbitrary JSON: valid findings or a ReportError, nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        parsesCleanlyOrRefuses(jsonDoc(value));
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary content under a ZAP root: valid findings or a ReportError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.jsonValue({ maxDepth: 2 }), (site, version) => {
        parsesCleanlyOrRefuses(jsonDoc({ '@version': version, site }));
        parsesCleanlyOrRefuses({ ...jsonDoc({ OWASPZAPReport: { '@_version': version, site } }), format: 'xml' });
      }),
      { numRuns: 300 },
    );
  });

  it.each(['traditional-2.16.json', 'legacy-2.8.json'])('mutated %s: valid findings or a ReportError', (name) => {
    const outcomes: number[] = [];
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
        outcomes.push(parsesCleanlyOrRefuses(jsonDoc(mutate(fixtureJson(name), mutations))));
      }),
      { numRuns: 300 },
    );
    // Most mutations damage a field, not the root: the parser must still produce findings for them.
    expect(outcomes.filter((n) => n > 0).length).toBeGreaterThan(outcomes.length / 2);
  });

  it('mutated XML tree (xml-plus): valid findings or a ReportError', () => {
    const original = fixtureDoc('xml-plus-2.11.xml');
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
        parsesCleanlyOrRefuses({ ...original, value: mutate(structuredClone(original.value), mutations) });
      }),
      { numRuns: 300 },
    );
  });

  it('the set of Ids does not depend on the order of the alerts', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (keys) => {
        // Arrange: shuffle the alerts of the first site by random sort keys
        const value = fixtureJson('traditional-2.16.json');
        const alerts = value.site[0].alerts as unknown[];
        const shuffled = alerts.map((a, i) => [keys[i % keys.length]!, i, a] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
        value.site[0].alerts = shuffled.map(([, , a]) => a);
        const reference = new Set(findingsOf(zapParser.parse(jsonDoc(fixtureJson('traditional-2.16.json')))).map((f) => f.Id));

        // Act
        const ids = findingsOf(zapParser.parse(jsonDoc(value))).map((f) => f.Id);

        // Assert
        expect(new Set(ids)).toEqual(reference);
      }),
      { numRuns: 50 },
    );
  });
});
