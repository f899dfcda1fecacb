import fc from 'fast-check';
import { ServiceError } from './errors';
import { OPERATIONS } from './faults';
import { finding } from './__fixtures__/findings';
import { SecurityHubService } from './service';

function body(value: unknown) {
  const bytes = Buffer.from(JSON.stringify(value) ?? '', 'utf8');
  return { bytes, size: bytes.length };
}

/** Either a response or a client-side ServiceError; an InternalException would be a bug in the server. */
function outcomeOf(run: () => unknown): 'ok' | string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (error instanceof ServiceError) return error.code;
    throw error;
  }
}

describe('SecurityHubService on arbitrary input', () => {
  it('answers any JSON body to any operation with a response or a 4xx error, never a crash', () => {
    // arrange
    const service = new SecurityHubService({ region: 'us-east-1', throttling: false });
    service.importAll([finding(1), finding(2)], service.contextFor('us-east-1'), false);

    // act / assert
    fc.assert(
      fc.property(fc.constantFrom(...OPERATIONS), fc.jsonValue(), (operation, value) => {
        const code = outcomeOf(() => service.dispatch(operation, body(value), 'us-east-1'));
        expect(code).not.toBe('InternalException');
      }),
      { numRuns: 400 },
    );
  });

  it('answers mutated findings and filters with a response or InvalidInputException', () => {
    // arrange
    const service = new SecurityHubService({ region: 'us-east-1', throttling: false });
    const base = finding(1) as unknown as Record<string, unknown>;
    const keys = [...Object.keys(base), 'Filters', 'Id', 'RecordState', 'ProductFields'];
    const mutation = fc.record({ key: fc.constantFrom(...keys), value: fc.jsonValue() });

    // act / assert
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 4 }), fc.jsonValue(), (mutations, filterValue) => {
        const mutated = { ...structuredClone(base) };
        for (const m of mutations) mutated[m.key] = m.value;
        const imported = outcomeOf(() => service.dispatch('BatchImportFindings', body({ Findings: [mutated] }), 'us-east-1'));
        const queried = outcomeOf(() => service.dispatch('GetFindings', body({ Filters: { [mutations[0]?.key ?? 'Id']: filterValue } }), 'us-east-1'));
        const updated = outcomeOf(() =>
          service.dispatch('BatchUpdateFindings', body({ FindingIdentifiers: [{ Id: base.Id, ProductArn: base.ProductArn }], [mutations[0]?.key ?? 'Note']: mutations[0]?.value }), 'us-east-1'),
        );
        for (const code of [imported, queried, updated]) expect(['ok', 'InvalidInputException']).toContain(code);
      }),
      { numRuns: 300 },
    );
  });
});

describe('queries over findings with odd but accepted shapes', () => {
  it('never crash, whatever a finding holds where a filter looks', () => {
    // arrange: one sample filter per attribute kind
    const { FILTER_FIELDS } = jest.requireActual<typeof import('./filters')>('./filters');
    const sample = { string: [{ Value: 'x', Comparison: 'NOT_EQUALS' }], map: [{ Key: 'k', Value: 'v', Comparison: 'NOT_EQUALS' }], date: [{ Start: '2020-01-01T00:00:00Z' }], number: [{ Gte: 0 }], boolean: [{ Value: false }] };
    const containers = ['RelatedFindings', 'Vulnerabilities', 'Compliance', 'Note', 'Resources', 'FindingProviderFields', 'Remediation', 'Workflow', 'ProductFields', 'UserDefinedFields'];

    // act / assert
    fc.assert(
      fc.property(fc.constantFrom(...containers), fc.jsonValue(), (key, value) => {
        const service = new SecurityHubService({ region: 'us-east-1', throttling: false });
        service.importAll([{ ...finding(1), [key]: value }], service.contextFor('us-east-1'), false);
        for (const [name, spec] of Object.entries(FILTER_FIELDS)) {
          const code = outcomeOf(() => service.dispatch('GetFindings', body({ Filters: { [name]: sample[spec.kind] }, SortCriteria: spec.kind === 'map' ? undefined : [{ Field: name }] }), 'us-east-1'));
          expect(code).toBe('ok');
        }
      }),
      { numRuns: 150 },
    );
  });
});
