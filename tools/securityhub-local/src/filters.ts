import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { invalidInput } from './errors';
import { timestampMillis } from './timestamps';

type Finding = AwsSecurityFinding;
type StringMap = Record<string, string>;
type Many<T> = T | readonly (T | undefined)[] | undefined;

/** How GetFindings reads one filterable attribute of a finding. Multi-valued attributes (Types, Resources[]) return arrays. */
export type FieldSpec =
  | { kind: 'string'; get: (f: Finding) => Many<string> }
  | { kind: 'map'; get: (f: Finding) => Many<StringMap> }
  | { kind: 'date'; get: (f: Finding) => Many<string> }
  | { kind: 'number'; get: (f: Finding) => Many<number> }
  | { kind: 'boolean'; get: (f: Finding) => boolean | undefined };

/**
 * Applies `pick` to each object of a list attribute. validateFinding does not check the shape of every attribute,
 * so a stored finding may hold anything where a list is expected; that must never crash a query.
 */
function each<T, R>(value: readonly T[] | undefined, pick: (item: T) => R | undefined): (R | undefined)[] {
  if (!Array.isArray(value)) return [];
  return value.map((item: T) => (typeof item === 'object' && item !== null ? pick(item) : undefined));
}

const resources = (f: Finding) => (Array.isArray(f.Resources) ? f.Resources : []);
const str = (get: (f: Finding) => Many<string>): FieldSpec => ({ kind: 'string', get });
const map = (get: (f: Finding) => Many<StringMap>): FieldSpec => ({ kind: 'map', get });
const date = (get: (f: Finding) => Many<string>): FieldSpec => ({ kind: 'date', get });
const num = (get: (f: Finding) => Many<number>): FieldSpec => ({ kind: 'number', get });

/**
 * The GetFindings filter attributes this server understands, by their AwsSecurityFindingFilters name.
 * Every other attribute of the real API is rejected with InvalidInputException rather than silently ignored,
 * so a test never passes on a filter that was not applied.
 */
export const FILTER_FIELDS: Readonly<Record<string, FieldSpec>> = {
  ProductArn: str((f) => f.ProductArn),
  AwsAccountId: str((f) => f.AwsAccountId),
  AwsAccountName: str((f) => f.AwsAccountName),
  Id: str((f) => f.Id),
  GeneratorId: str((f) => f.GeneratorId),
  Region: str((f) => f.Region),
  Type: str((f) => f.Types),
  Title: str((f) => f.Title),
  Description: str((f) => f.Description),
  RecommendationText: str((f) => f.Remediation?.Recommendation?.Text),
  SourceUrl: str((f) => f.SourceUrl),
  ProductName: str((f) => f.ProductName),
  CompanyName: str((f) => f.CompanyName),
  SeverityLabel: str((f) => f.Severity?.Label),
  ComplianceStatus: str((f) => f.Compliance?.Status),
  ComplianceSecurityControlId: str((f) => f.Compliance?.SecurityControlId),
  ComplianceAssociatedStandardsId: str((f) => each(f.Compliance?.AssociatedStandards, (s) => s.StandardsId)),
  VerificationState: str((f) => f.VerificationState),
  WorkflowState: str((f) => f.WorkflowState),
  WorkflowStatus: str((f) => f.Workflow?.Status),
  RecordState: str((f) => f.RecordState),
  RelatedFindingsProductArn: str((f) => each(f.RelatedFindings, (r) => r.ProductArn)),
  RelatedFindingsId: str((f) => each(f.RelatedFindings, (r) => r.Id)),
  NoteText: str((f) => f.Note?.Text),
  NoteUpdatedBy: str((f) => f.Note?.UpdatedBy),
  ResourceType: str((f) => each(resources(f), (r) => r.Type)),
  ResourceId: str((f) => each(resources(f), (r) => r.Id)),
  ResourcePartition: str((f) => each(resources(f), (r) => r.Partition)),
  ResourceRegion: str((f) => each(resources(f), (r) => r.Region)),
  FindingProviderFieldsSeverityLabel: str((f) => f.FindingProviderFields?.Severity?.Label),
  FindingProviderFieldsSeverityOriginal: str((f) => f.FindingProviderFields?.Severity?.Original),
  FindingProviderFieldsTypes: str((f) => f.FindingProviderFields?.Types),
  FindingProviderFieldsRelatedFindingsId: str((f) => each(f.FindingProviderFields?.RelatedFindings, (r) => r.Id)),
  FindingProviderFieldsRelatedFindingsProductArn: str((f) => each(f.FindingProviderFields?.RelatedFindings, (r) => r.ProductArn)),
  VulnerabilitiesFixAvailable: str((f) => each(f.Vulnerabilities, (v) => v.FixAvailable)),
  VulnerabilitiesExploitAvailable: str((f) => each(f.Vulnerabilities, (v) => v.ExploitAvailable)),
  ProductFields: map((f) => f.ProductFields),
  UserDefinedFields: map((f) => f.UserDefinedFields),
  ResourceTags: map((f) => each(resources(f), (r) => r.Tags)),
  ResourceDetailsOther: map((f) => each(resources(f), (r) => r.Details?.Other)),
  CreatedAt: date((f) => f.CreatedAt),
  UpdatedAt: date((f) => f.UpdatedAt),
  FirstObservedAt: date((f) => f.FirstObservedAt),
  LastObservedAt: date((f) => f.LastObservedAt),
  NoteUpdatedAt: date((f) => f.Note?.UpdatedAt),
  SeverityNormalized: num((f) => f.Severity?.Normalized),
  SeverityProduct: num((f) => f.Severity?.Product),
  Confidence: num((f) => f.Confidence),
  Criticality: num((f) => f.Criticality),
  FindingProviderFieldsConfidence: num((f) => f.FindingProviderFields?.Confidence),
  FindingProviderFieldsCriticality: num((f) => f.FindingProviderFields?.Criticality),
  Sample: { kind: 'boolean', get: (f) => f.Sample },
};

/** String attributes the store keeps an inverted index for: the ones scope queries and archivers filter on. */
export const INDEXED_FIELDS = [
  'ProductArn',
  'AwsAccountId',
  'Id',
  'GeneratorId',
  'SeverityLabel',
  'RecordState',
  'WorkflowStatus',
  'ProductName',
  'ComplianceStatus',
] as const;
export type IndexedField = (typeof INDEXED_FIELDS)[number];

function isIndexed(name: string): name is IndexedField {
  return (INDEXED_FIELDS as readonly string[]).includes(name);
}

/** An equality condition the store answers from an index: the finding has one of `values`. */
export type IndexLookup =
  | { kind: 'field'; field: IndexedField; values: string[] }
  | { kind: 'productField'; key: string; values: string[] };

export type Predicate = (finding: Finding) => boolean;

export interface CompiledFilters {
  /** Narrow the candidates; all must hold. */
  lookups: IndexLookup[];
  /** Checked on each candidate; all must hold. */
  predicates: Predicate[];
}

export const MAX_FILTER_ATTRIBUTES = 10;
export const MAX_FILTER_VALUES = 20;

const POSITIVE_STRING = ['EQUALS', 'PREFIX', 'CONTAINS'] as const;
const NEGATIVE_STRING = ['NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'NOT_CONTAINS'] as const;
const MAP_COMPARISONS = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'] as const;
const MS_PER_DAY = 86_400_000;

function list<T>(value: Many<T>): T[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return (value as (T | undefined)[]).filter((v): v is T => v !== undefined && v !== null);
  return [value as T];
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidInput(`${where} must be an object`);
  return value as Record<string, unknown>;
}

/** The positive comparison a (possibly negative) comparison tests; e.g. NOT_CONTAINS tests CONTAINS and negates. */
function matches(comparison: string, expected: string, actual: string): boolean {
  switch (comparison) {
    case 'EQUALS':
    case 'NOT_EQUALS':
      return actual === expected;
    case 'PREFIX':
    case 'PREFIX_NOT_EQUALS':
      return actual.startsWith(expected);
    default:
      return actual.includes(expected);
  }
}

interface Condition {
  comparison: string;
  value: string;
}

/** The documented combination errors: CONTAINS with NOT_CONTAINS, EQUALS with NOT_EQUALS / PREFIX_NOT_EQUALS. */
function checkCombination(where: string, conditions: readonly Condition[]): void {
  const has = (c: string) => conditions.some((x) => x.comparison === c);
  if (has('CONTAINS') && has('NOT_CONTAINS')) throw invalidInput(`${where}: CONTAINS and NOT_CONTAINS cannot be combined on the same field`);
  if (has('EQUALS') && (has('NOT_EQUALS') || has('PREFIX_NOT_EQUALS'))) {
    throw invalidInput(`${where}: EQUALS cannot be combined with NOT_EQUALS or PREFIX_NOT_EQUALS on the same field`);
  }
}

/**
 * Positive comparisons on one field are OR-joined, negative ones AND-joined, and both must hold.
 * For a multi-valued attribute a positive comparison needs one matching value, a negative one needs none.
 */
function conditionsPredicate(conditions: readonly Condition[], values: (f: Finding) => string[]): Predicate {
  const positives = conditions.filter((c) => (POSITIVE_STRING as readonly string[]).includes(c.comparison));
  const negatives = conditions.filter((c) => !(POSITIVE_STRING as readonly string[]).includes(c.comparison));
  return (f) => {
    const actual = values(f);
    if (positives.length > 0 && !positives.some((c) => actual.some((v) => matches(c.comparison, c.value, v)))) return false;
    return negatives.every((c) => !actual.some((v) => matches(c.comparison, c.value, v)));
  };
}

function stringConditions(where: string, entries: readonly unknown[], allowed: readonly string[]): Condition[] {
  return entries.map((entry, i) => {
    const { Value, Comparison } = record(entry, `${where}[${i}]`);
    if (typeof Value !== 'string') throw invalidInput(`${where}[${i}].Value must be a string`);
    if (typeof Comparison !== 'string' || !allowed.includes(Comparison)) {
      throw invalidInput(`${where}[${i}].Comparison must be one of ${allowed.join(', ')}`);
    }
    return { comparison: Comparison, value: Value };
  });
}

function onlyEquals(conditions: readonly Condition[]): boolean {
  return conditions.length > 0 && conditions.every((c) => c.comparison === 'EQUALS');
}

function compileString(name: string, get: (f: Finding) => Many<string>, entries: readonly unknown[], out: CompiledFilters): void {
  const conditions = stringConditions(name, entries, [...POSITIVE_STRING, ...NEGATIVE_STRING]);
  checkCombination(name, conditions);
  if (isIndexed(name) && onlyEquals(conditions)) {
    out.lookups.push({ kind: 'field', field: name, values: conditions.map((c) => c.value) });
    return;
  }
  out.predicates.push(conditionsPredicate(conditions, (f) => list(get(f)).filter((v) => typeof v === 'string')));
}

/** Map filters are grouped by Key: OR/AND rules apply within one key, different keys are AND-joined. */
function compileMap(name: string, get: (f: Finding) => Many<StringMap>, entries: readonly unknown[], out: CompiledFilters): void {
  const byKey = new Map<string, Condition[]>();
  entries.forEach((entry, i) => {
    const { Key } = record(entry, `${name}[${i}]`);
    if (typeof Key !== 'string' || Key.length === 0) throw invalidInput(`${name}[${i}].Key must be a non-empty string`);
    const [condition] = stringConditions(`${name}[${i}]`, [entry], MAP_COMPARISONS);
    byKey.set(Key, [...(byKey.get(Key) ?? []), condition!]);
  });
  for (const [key, conditions] of byKey) {
    checkCombination(`${name}.${key}`, conditions);
    if (name === 'ProductFields' && onlyEquals(conditions)) {
      out.lookups.push({ kind: 'productField', key, values: conditions.map((c) => c.value) });
      continue;
    }
    out.predicates.push(
      conditionsPredicate(conditions, (f) =>
        list(get(f))
          .map((m) => (typeof m === 'object' ? m[key] : undefined))
          .filter((v): v is string => typeof v === 'string'),
      ),
    );
  }
}

function optionalNumber(where: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidInput(`${where} must be a number`);
  return value;
}

function compileDate(name: string, get: (f: Finding) => Many<string>, entries: readonly unknown[], nowMs: number): Predicate {
  const ranges = entries.map((entry, i) => {
    const where = `${name}[${i}]`;
    const { Start, End, DateRange } = record(entry, where);
    if (DateRange !== undefined && DateRange !== null) {
      const { Value, Unit } = record(DateRange, `${where}.DateRange`);
      if (Unit !== 'DAYS') throw invalidInput(`${where}.DateRange.Unit must be DAYS`);
      const days = optionalNumber(`${where}.DateRange.Value`, Value);
      if (days === undefined || days < 0) throw invalidInput(`${where}.DateRange.Value must be a non-negative number`);
      return { from: nowMs - days * MS_PER_DAY, to: Number.POSITIVE_INFINITY };
    }
    if (Start === undefined && End === undefined) throw invalidInput(`${where} needs Start, End or DateRange`);
    const bound = (text: unknown, label: string, open: number) => {
      if (text === undefined || text === null) return open;
      const ms = timestampMillis(text);
      if (Number.isNaN(ms)) throw invalidInput(`${where}.${label} must be an RFC 3339 timestamp`);
      return ms;
    };
    return { from: bound(Start, 'Start', Number.NEGATIVE_INFINITY), to: bound(End, 'End', Number.POSITIVE_INFINITY) };
  });
  return (f) =>
    list(get(f)).some((text) => {
      const ms = timestampMillis(text);
      return !Number.isNaN(ms) && ranges.some((r) => ms >= r.from && ms <= r.to);
    });
}

function compileNumber(name: string, get: (f: Finding) => Many<number>, entries: readonly unknown[]): Predicate {
  const tests = entries.map((entry, i) => {
    const where = `${name}[${i}]`;
    const e = record(entry, where);
    const bounds = {
      Gte: optionalNumber(`${where}.Gte`, e.Gte),
      Lte: optionalNumber(`${where}.Lte`, e.Lte),
      Eq: optionalNumber(`${where}.Eq`, e.Eq),
      Gt: optionalNumber(`${where}.Gt`, e.Gt),
      Lt: optionalNumber(`${where}.Lt`, e.Lt),
    };
    if (Object.values(bounds).every((b) => b === undefined)) throw invalidInput(`${where} needs one of Gte, Lte, Eq, Gt, Lt`);
    return (n: number) =>
      (bounds.Gte === undefined || n >= bounds.Gte) &&
      (bounds.Lte === undefined || n <= bounds.Lte) &&
      (bounds.Eq === undefined || n === bounds.Eq) &&
      (bounds.Gt === undefined || n > bounds.Gt) &&
      (bounds.Lt === undefined || n < bounds.Lt);
  });
  return (f) => list(get(f)).some((n) => typeof n === 'number' && tests.some((t) => t(n)));
}

function compileBoolean(name: string, get: (f: Finding) => boolean | undefined, entries: readonly unknown[]): Predicate {
  const wanted = entries.map((entry, i) => {
    const { Value } = record(entry, `${name}[${i}]`);
    if (typeof Value !== 'boolean') throw invalidInput(`${name}[${i}].Value must be a boolean`);
    return Value;
  });
  return (f) => wanted.includes(get(f) === true);
}

/**
 * Turns a GetFindings `Filters` object into index lookups plus predicates over the parsed findings.
 * Attributes are AND-joined; the OR/AND rules within one attribute follow the StringFilter documentation.
 * Throws InvalidInputException for unknown attributes, bad shapes, the documented bad combinations and the
 * limits (10 attributes, 20 values each).
 */
export function compileFilters(filters: unknown, nowMs: number): CompiledFilters {
  const out: CompiledFilters = { lookups: [], predicates: [] };
  if (filters === undefined || filters === null) return out;
  const given = Object.entries(record(filters, 'Filters')).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0));
  if (given.length > MAX_FILTER_ATTRIBUTES) throw invalidInput(`Filters has ${given.length} attributes, limit ${MAX_FILTER_ATTRIBUTES}`);
  for (const [name, entries] of given) {
    const spec = FILTER_FIELDS[name];
    if (!spec) throw invalidInput(`Filter attribute ${name} is unknown or not supported by securityhub-local`);
    if (!Array.isArray(entries)) throw invalidInput(`Filters.${name} must be a list`);
    if (entries.length > MAX_FILTER_VALUES) throw invalidInput(`Filters.${name} has ${entries.length} values, limit ${MAX_FILTER_VALUES}`);
    switch (spec.kind) {
      case 'string':
        compileString(name, spec.get, entries, out);
        break;
      case 'map':
        compileMap(name, spec.get, entries, out);
        break;
      case 'date':
        out.predicates.push(compileDate(name, spec.get, entries, nowMs));
        break;
      case 'number':
        out.predicates.push(compileNumber(name, spec.get, entries));
        break;
      case 'boolean':
        out.predicates.push(compileBoolean(name, spec.get, entries));
        break;
    }
  }
  return out;
}

type SortKey = string | number | undefined;
export type Comparator = (a: Finding, b: Finding) => number;

function sortKey(spec: FieldSpec, f: Finding): SortKey {
  const raw = spec.kind === 'boolean' ? spec.get(f) : list<unknown>(spec.get(f) as Many<unknown>)[0];
  if (raw === undefined || raw === null) return undefined;
  if (spec.kind === 'date') {
    const ms = timestampMillis(raw);
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  return typeof raw === 'number' || typeof raw === 'string' ? raw : undefined;
}

/**
 * A comparator for `SortCriteria` (string, date, number and boolean attributes; the first value of a multi-valued
 * one). Findings without the attribute sort last. Undefined when no criteria are given (creation order).
 */
export function compileSort(criteria: unknown): Comparator | undefined {
  if (criteria === undefined || criteria === null) return undefined;
  if (!Array.isArray(criteria)) throw invalidInput('SortCriteria must be a list');
  if (criteria.length === 0) return undefined;
  const keys = criteria.map((entry, i) => {
    const { Field, SortOrder } = record(entry, `SortCriteria[${i}]`);
    const spec = typeof Field === 'string' ? FILTER_FIELDS[Field] : undefined;
    if (!spec || spec.kind === 'map') throw invalidInput(`SortCriteria[${i}].Field ${String(Field)} cannot be sorted on`);
    if (SortOrder !== undefined && SortOrder !== 'asc' && SortOrder !== 'desc') throw invalidInput(`SortCriteria[${i}].SortOrder must be asc or desc`);
    return { spec, direction: SortOrder === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { spec, direction } of keys) {
      const x = sortKey(spec, a);
      const y = sortKey(spec, b);
      if (x === y) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x < y ? -1 : 1) * direction;
    }
    return 0;
  };
}

/** The values a finding contributes to the index of one attribute. */
export function indexValues(field: IndexedField, finding: Finding): string[] {
  const spec = FILTER_FIELDS[field] as Extract<FieldSpec, { kind: 'string' }>;
  return list(spec.get(finding)).filter((v) => typeof v === 'string');
}
