import { FIELD, type AwsSecurityFinding } from '@devsecops/asff';
import { FIXED_NOW } from '@devsecops/test-support';
import { findings, SCOPE, draft } from './__fixtures__/findings';
import { buildFinding } from '@devsecops/asff';
import { archivedVersion, dedupeById, nextUpdatedAt, planImport, prepareForImport, withoutManagedFields } from './plan';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const DAY = 86_400_000;

/** What GetFindings returns for a finding we imported earlier: our fields plus Security Hub's own. */
function asStored(finding: AwsSecurityFinding, overrides: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  return {
    ...finding,
    ProductFields: { ...finding.ProductFields, 'aws/securityhub/FindingId': 'x', 'aws/securityhub/ProductName': 'Default' },
    ProcessedAt: '2026-11-22T12:00:01.000Z',
    Region: 'us-east-1',
    Severity: { ...finding.Severity, Normalized: 70 },
    Workflow: { Status: 'NOTIFIED' },
    Note: { Text: 'ticket SEC-1', UpdatedBy: 'alice', UpdatedAt: '2026-11-23T00:00:00.000Z' },
    VerificationState: 'TRUE_POSITIVE',
    UserDefinedFields: { owner: 'team-a' },
    ...overrides,
  };
}

function storedMap(list: AwsSecurityFinding[]): Map<string, AwsSecurityFinding> {
  return new Map(list.map((f) => [f.Id!, f]));
}

function plan(current: AwsSecurityFinding[], stored: AwsSecurityFinding[], options: { refreshAfterDays?: number; archiveMissing?: boolean } = {}) {
  return planImport({
    current,
    scanIds: new Set(current.map((f) => f.Id!)),
    stored: storedMap(stored),
    now: NOW,
    refreshAfterDays: options.refreshAfterDays ?? 30,
    archiveMissing: options.archiveMissing ?? true,
  });
}

describe('nextUpdatedAt', () => {
  it('is now when Security Hub holds an older version or none', () => {
    expect(nextUpdatedAt(NOW)).toBe(NOW.toISOString());
    expect(nextUpdatedAt(NOW, { UpdatedAt: '2026-11-01T00:00:00Z' })).toBe(NOW.toISOString());
  });

  it('is 1 ms after the stored value when that is not older than now (clock skew, two runs in one ms)', () => {
    expect(nextUpdatedAt(NOW, { UpdatedAt: NOW.toISOString() })).toBe('2026-12-01T10:00:00.001Z');
    expect(nextUpdatedAt(NOW, { UpdatedAt: '2026-12-01T12:00:00+02:00' })).toBe('2026-12-01T10:00:00.001Z');
  });

  it('is strictly after a stored value with nanosecond digits', () => {
    // arrange
    const stored = '2026-12-01T10:00:00.999999999Z';
    // act
    const next = nextUpdatedAt(NOW, { UpdatedAt: stored });
    // assert
    expect(next).toBe('2026-12-01T10:00:01.000Z');
  });
});

describe('dedupeById', () => {
  it('keeps the last finding of each Id, in input order, and names the duplicates once', () => {
    // arrange
    const [a, b] = findings(2);
    const a2 = { ...a!, Title: 'second statement' };
    // act
    const { unique, duplicateIds } = dedupeById([a!, b!, a2, { ...a2 }]);
    // assert
    expect(unique.map((f) => f.Title)).toEqual([b!.Title, 'second statement']);
    expect(duplicateIds).toEqual([a!.Id]);
  });
});

describe('prepareForImport', () => {
  it('sets CreatedAt = UpdatedAt = now for a new finding', () => {
    // arrange
    const [f] = findings(1);
    // act
    const prepared = prepareForImport(f!, undefined, NOW);
    // assert
    expect(prepared.CreatedAt).toBe(NOW.toISOString());
    expect(prepared.UpdatedAt).toBe(NOW.toISOString());
  });

  it('keeps the stored CreatedAt and moves UpdatedAt strictly past the stored one', () => {
    // arrange
    const [f] = findings(1);
    const stored = asStored(f!, { CreatedAt: '2026-01-01T00:00:00.000Z', UpdatedAt: '2026-12-01T10:00:05.000Z' });
    // act
    const prepared = prepareForImport(f!, stored, NOW);
    // assert
    expect(prepared.CreatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(prepared.UpdatedAt).toBe('2026-12-01T10:00:05.001Z');
  });

  it('keeps the first FirstObservedAt (or the stored CreatedAt of a finding stored without one); LastObservedAt is this import', () => {
    const [f] = findings(1);
    const seen = { ...f!, FirstObservedAt: NOW.toISOString(), LastObservedAt: NOW.toISOString() };
    const stored = asStored(f!, { CreatedAt: '2026-01-01T00:00:00.000Z', UpdatedAt: '2026-02-01T00:00:00.000Z', FirstObservedAt: '2026-01-02T00:00:00.000Z' });
    expect(prepareForImport(seen, stored, NOW)).toMatchObject({ FirstObservedAt: '2026-01-02T00:00:00.000Z', LastObservedAt: NOW.toISOString() });
    const { FirstObservedAt: _f, ...legacy } = stored;
    expect(prepareForImport(seen, legacy, NOW).FirstObservedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(prepareForImport(seen, undefined, NOW).FirstObservedAt).toBe(NOW.toISOString());
  });

  it('adds a ContentHash to a finding built without one, and does not touch the input', () => {
    // arrange
    const [f] = findings(1);
    const { [FIELD.contentHash]: _hash, ...fields } = f!.ProductFields!;
    const bare = { ...f!, ProductFields: fields };
    // act
    const prepared = prepareForImport(bare, undefined, NOW);
    // assert
    expect(prepared.ProductFields?.[FIELD.contentHash]).toMatch(/^[0-9a-f]{32}$/);
    expect(bare.ProductFields[FIELD.contentHash]).toBeUndefined();
  });
});

describe('withoutManagedFields', () => {
  it('drops Security Hub-managed and customer-owned fields and keeps the provider fields', () => {
    // arrange
    const [f] = findings(1);
    const stored = asStored(f!);
    // act
    const clean = withoutManagedFields(stored);
    // assert
    for (const key of ['ProcessedAt', 'Region', 'Workflow', 'Note', 'VerificationState', 'UserDefinedFields']) expect(clean).not.toHaveProperty(key);
    expect(Object.keys(clean.ProductFields!).some((k) => k.startsWith('aws/securityhub/'))).toBe(false);
    expect(clean.Severity).toEqual({ Label: 'HIGH', Original: '7.5' });
    expect(clean.ProductFields).toEqual(f!.ProductFields);
    expect(clean.Title).toBe(f!.Title);
    expect(stored.Workflow).toEqual({ Status: 'NOTIFIED' });
  });
});

describe('archivedVersion', () => {
  it('is the full stored finding, ARCHIVED, State FIXED, newer UpdatedAt, same CreatedAt', () => {
    // arrange
    const [f] = findings(1, SCOPE, FIXED_NOW, { state: 'ACTIVE', stateReason: 'whatever' });
    const stored = asStored(f!, { UpdatedAt: '2026-12-01T10:00:00.000Z' });
    // act
    const archived = archivedVersion(stored, NOW);
    // assert
    expect(archived.RecordState).toBe('ARCHIVED');
    expect(archived.ProductFields?.[FIELD.state]).toBe('FIXED');
    expect(archived.ProductFields?.[FIELD.stateReason]).toBeUndefined();
    expect(archived.UpdatedAt).toBe('2026-12-01T10:00:00.001Z');
    expect(archived.CreatedAt).toBe(f!.CreatedAt);
    expect(archived.Resources).toEqual(f!.Resources);
    expect(archived).not.toHaveProperty('Workflow');
    expect(archived).not.toHaveProperty('Note');
  });

  it('marks check-style findings PASSED and INFORMATIONAL', () => {
    // arrange
    const [f] = findings(1);
    const stored = asStored({ ...f!, Compliance: { Status: 'FAILED' } });
    // act
    const archived = archivedVersion(stored, NOW);
    // assert
    expect(archived.Compliance?.Status).toBe('PASSED');
    expect(archived.FindingProviderFields?.Severity?.Label).toBe('INFORMATIONAL');
    expect(archived.FindingProviderFields?.Types).toEqual(f!.FindingProviderFields?.Types);
  });
});

describe('planImport', () => {
  it('imports everything as new when Security Hub holds nothing', () => {
    // arrange
    const current = findings(3);
    // act
    const result = plan(current, []);
    // assert
    expect(result.imports.map((p) => p.kind)).toEqual(['new', 'new', 'new']);
    expect(result.unchanged).toEqual([]);
    expect(result.archives).toEqual([]);
  });

  it('skips findings with the same content hash and RecordState that were updated recently', () => {
    // arrange
    const current = findings(2);
    const stored = current.map((f) => asStored(f, { UpdatedAt: new Date(NOW.getTime() - 29 * DAY).toISOString() }));
    // act
    const result = plan(current, stored);
    // assert
    expect(result.unchanged).toEqual(current.map((f) => f.Id));
    expect(result.imports).toEqual([]);
  });

  it('re-imports an unchanged finding once it is older than refreshAfterDays (retention)', () => {
    // arrange
    const [f] = findings(1);
    const stored = asStored(f!, { CreatedAt: '2026-09-01T00:00:00.000Z', UpdatedAt: new Date(NOW.getTime() - 31 * DAY).toISOString() });
    // act
    const result = plan([f!], [stored]);
    // assert
    expect(result.imports.map((p) => p.kind)).toEqual(['refreshed']);
    expect(result.imports[0]!.finding.CreatedAt).toBe('2026-09-01T00:00:00.000Z');
  });

  it('imports a finding whose content changed', () => {
    // arrange
    const [before] = findings(1);
    const after = buildFinding(draft(0, { severity: { label: 'CRITICAL', original: '9.8' } }), SCOPE, FIXED_NOW);
    // act
    const result = plan([after], [asStored(before!, { UpdatedAt: NOW.toISOString() })]);
    // assert
    expect(after.Id).toBe(before!.Id);
    expect(result.imports.map((p) => p.kind)).toEqual(['changed']);
    expect(result.imports[0]!.finding.FindingProviderFields?.Severity?.Label).toBe('CRITICAL');
  });

  it('imports a finding that was suppressed in the tool (same Id, now ARCHIVED) as changed', () => {
    // arrange
    const [active] = findings(1);
    const suppressed = buildFinding(draft(0, { state: 'SUPPRESSED', stateReason: 'false positive' }), SCOPE, FIXED_NOW);
    // act
    const result = plan([suppressed], [asStored(active!, { UpdatedAt: NOW.toISOString() })]);
    // assert
    expect(result.imports.map((p) => p.kind)).toEqual(['changed']);
    expect(result.imports[0]!.finding.RecordState).toBe('ARCHIVED');
  });

  it('re-activates a stored ARCHIVED finding that is back, even with the same content hash', () => {
    // arrange
    const [f] = findings(1);
    const stored = archivedVersion(asStored(f!), new Date(NOW.getTime() - DAY));
    // act
    const result = plan([f!], [stored]);
    // assert
    expect(stored.ProductFields?.[FIELD.contentHash]).toBe(f!.ProductFields?.[FIELD.contentHash]);
    expect(result.imports.map((p) => p.kind)).toEqual(['reactivated']);
    expect(result.imports[0]!.finding.RecordState).toBe('ACTIVE');
  });

  it('archives stored ACTIVE findings missing from the scan, and only those', () => {
    // arrange
    const all = findings(4);
    const goneActive = asStored(all[2]!);
    const goneArchived = asStored(all[3]!, { RecordState: 'ARCHIVED' });
    const current = all.slice(0, 2);
    // act
    const result = plan(current, [...current.map((f) => asStored(f)), goneActive, goneArchived]);
    // assert
    expect(result.archives.map((p) => p.finding.Id)).toEqual([all[2]!.Id]);
    expect(result.archives[0]!.kind).toBe('archive');
    expect(result.archives[0]!.finding.RecordState).toBe('ARCHIVED');
  });

  it('does not archive a finding the scan reported even if it was refused before planning', () => {
    // arrange
    const all = findings(2);
    // act
    const result = planImport({
      current: [all[0]!],
      scanIds: new Set(all.map((f) => f.Id!)),
      stored: storedMap(all.map((f) => asStored(f))),
      now: NOW,
      refreshAfterDays: 30,
      archiveMissing: true,
    });
    // assert
    expect(result.archives).toEqual([]);
  });

  it('archives nothing when archiveMissing is false', () => {
    // arrange
    const all = findings(2);
    // act
    const result = plan([], all.map((f) => asStored(f)), { archiveMissing: false });
    // assert
    expect(result.archives).toEqual([]);
  });
});
