import { FIELD, finding } from './__fixtures__/findings';
import { compileFilters } from './filters';
import { FindingStore, findingKey } from './store';

const NOW = Date.parse('2026-11-22T12:00:00Z');

function keysFor(store: FindingStore, filters: object): string[] {
  return store.query(compileFilters(filters, NOW));
}

describe('FindingStore indexes', () => {
  it('follows a finding whose indexed values change, and forgets values no finding has any more', () => {
    // arrange
    const store = new FindingStore();
    const f = { ...finding(1), RecordState: 'ACTIVE' as const };
    const key = findingKey(f.ProductArn!, f.Id!);
    store.put(key, { finding: f, customerEdited: [] });

    // act
    store.put(key, { finding: { ...f, RecordState: 'ARCHIVED', ProductFields: { ...f.ProductFields, [FIELD.branch]: 'release' } }, customerEdited: [] });

    // assert
    const eq = (Value: string) => [{ Value, Comparison: 'EQUALS' }];
    expect(keysFor(store, { RecordState: eq('ACTIVE') })).toEqual([]);
    expect(keysFor(store, { RecordState: eq('ARCHIVED') })).toEqual([key]);
    expect(keysFor(store, { ProductFields: [{ Key: FIELD.branch, Value: 'main', Comparison: 'EQUALS' }] })).toEqual([]);
    expect(keysFor(store, { ProductFields: [{ Key: FIELD.branch, Value: 'release', Comparison: 'EQUALS' }] })).toEqual([key]);
    expect(store.size).toBe(1);
  });

  it('answers from the index and keeps creation order, even for a replaced finding', () => {
    // arrange
    const store = new FindingStore();
    const [a, b, c] = [finding(1), finding(2), finding(3)];
    for (const f of [a, b, c]) store.put(findingKey(f.ProductArn!, f.Id!), { finding: f, customerEdited: [] });

    // act
    store.put(findingKey(a.ProductArn!, a.Id!), { finding: { ...a, Title: 'replaced' }, customerEdited: [] });
    const found = keysFor(store, { Id: [c, a, b].map((f) => ({ Value: f.Id!, Comparison: 'EQUALS' })) });

    // assert
    expect(found).toEqual([a, b, c].map((f) => findingKey(f.ProductArn!, f.Id!)));
    expect(compileFilters({ Id: [{ Value: a.Id!, Comparison: 'EQUALS' }] }, NOW)).toEqual({ lookups: [{ kind: 'field', field: 'Id', values: [a.Id] }], predicates: [] });
  });

  it('is empty after clear()', () => {
    // arrange
    const store = new FindingStore();
    const f = finding(1);
    store.put(findingKey(f.ProductArn!, f.Id!), { finding: f, customerEdited: [] });

    // act
    store.clear();

    // assert
    expect(store.size).toBe(0);
    expect(keysFor(store, { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] })).toEqual([]);
  });
});
