import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { INDEXED_FIELDS, indexValues, type Comparator, type CompiledFilters, type IndexLookup, type IndexedField } from './filters';

/** Top-level fields the provider updates through FindingProviderFields until a customer edits them (asff.md §6). */
export const PROVIDER_FIELDS = ['Confidence', 'Criticality', 'RelatedFindings', 'Severity', 'Types'] as const;
export type ProviderField = (typeof PROVIDER_FIELDS)[number];

/** One stored finding plus what Security Hub remembers about it beyond the ASFF document. */
export interface StoredFinding {
  finding: AwsSecurityFinding;
  /** Provider fields a customer changed with BatchUpdateFindings; imports no longer overwrite their top-level copy. */
  customerEdited: ProviderField[];
}

interface Entry extends StoredFinding {
  seq: number;
}

/** Findings are keyed by (ProductArn, Id). */
export function findingKey(productArn: string, id: string): string {
  return `${productArn}\n${id}`;
}

type Postings = Map<string, Set<string>>;

function add(postings: Postings, value: string, key: string): void {
  let keys = postings.get(value);
  if (!keys) postings.set(value, (keys = new Set()));
  keys.add(key);
}

function remove(postings: Postings | undefined, value: string, key: string): void {
  const keys = postings?.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) postings!.delete(value);
}

/**
 * The in-memory finding store. Besides the findings (kept parsed, never as JSON text) it keeps inverted indexes
 * value → keys for the common equality filters and for every ProductFields key, so a scope query over tens of
 * thousands of findings touches only the candidates.
 */
export class FindingStore {
  private readonly entries = new Map<string, Entry>();
  private readonly fieldIndex = new Map<IndexedField, Postings>(INDEXED_FIELDS.map((f) => [f, new Map()]));
  private readonly productFieldIndex = new Map<string, Postings>();
  private nextSeq = 0;

  get size(): number {
    return this.entries.size;
  }

  get(key: string): StoredFinding | undefined {
    return this.entries.get(key);
  }

  /** Inserts or replaces; a replaced finding keeps its position in creation order. */
  put(key: string, stored: StoredFinding): void {
    const previous = this.entries.get(key);
    if (previous) this.unindex(key, previous.finding);
    this.entries.set(key, { ...stored, seq: previous?.seq ?? this.nextSeq++ });
    this.index(key, stored.finding);
  }

  clear(): void {
    this.entries.clear();
    for (const postings of this.fieldIndex.values()) postings.clear();
    this.productFieldIndex.clear();
    this.nextSeq = 0;
  }

  /** Every stored finding in creation order. */
  all(): StoredFinding[] {
    return [...this.entries.values()];
  }

  /** Keys of the findings that pass the filters, in creation order or sorted by `compare`. */
  query(filters: CompiledFilters, compare?: Comparator): string[] {
    const candidates = this.candidates(filters.lookups);
    const matched: Entry[] = [];
    const consider = (entry: Entry) => {
      if (filters.predicates.every((p) => p(entry.finding))) matched.push(entry);
    };
    if (candidates === undefined) {
      for (const entry of this.entries.values()) consider(entry);
    } else {
      for (const key of candidates) consider(this.entries.get(key)!);
      matched.sort((a, b) => a.seq - b.seq);
    }
    if (compare) matched.sort((a, b) => compare(a.finding, b.finding) || a.seq - b.seq);
    return matched.map((e) => findingKey(e.finding.ProductArn!, e.finding.Id!));
  }

  /** The intersection of the lookups' posting lists (smallest first); undefined when nothing is indexed. */
  private candidates(lookups: readonly IndexLookup[]): Set<string> | undefined {
    if (lookups.length === 0) return undefined;
    const sets = lookups.map((lookup) => {
      const postings = lookup.kind === 'field' ? this.fieldIndex.get(lookup.field) : this.productFieldIndex.get(lookup.key);
      const union = new Set<string>();
      for (const value of lookup.values) for (const key of postings?.get(value) ?? []) union.add(key);
      return union;
    });
    sets.sort((a, b) => a.size - b.size);
    const [smallest, ...rest] = sets;
    const result = new Set<string>();
    for (const key of smallest!) if (rest.every((s) => s.has(key))) result.add(key);
    return result;
  }

  private index(key: string, finding: AwsSecurityFinding): void {
    for (const field of INDEXED_FIELDS) for (const value of indexValues(field, finding)) add(this.fieldIndex.get(field)!, value, key);
    for (const [name, value] of Object.entries(finding.ProductFields ?? {})) {
      if (typeof value !== 'string') continue;
      let postings = this.productFieldIndex.get(name);
      if (!postings) this.productFieldIndex.set(name, (postings = new Map()));
      add(postings, value, key);
    }
  }

  private unindex(key: string, finding: AwsSecurityFinding): void {
    for (const field of INDEXED_FIELDS) for (const value of indexValues(field, finding)) remove(this.fieldIndex.get(field), value, key);
    for (const [name, value] of Object.entries(finding.ProductFields ?? {})) {
      if (typeof value !== 'string') continue;
      remove(this.productFieldIndex.get(name), value, key);
      if (this.productFieldIndex.get(name)?.size === 0) this.productFieldIndex.delete(name);
    }
  }
}
