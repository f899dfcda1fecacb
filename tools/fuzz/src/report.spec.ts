import type { CampaignResult, Issue, RunRecord } from './campaign';
import { examples, formatReport, tallyBy, total } from './report';

function record(run: number, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    run,
    family: 'sarif',
    seedName: 'samples/x.sarif',
    mutators: ['wrong-type'],
    description: `wrong-type $.runs[${run}]: array → null`,
    bytes: 100,
    status: 'ok',
    findings: 2,
    issues: [],
    ms: 3,
    memoryGrowth: 1024,
    ...overrides,
  };
}

const crash = (message: string): Issue => ({ kind: 'crash', detail: `TypeError: ${message}\n    at f (libs/x.ts:1:1)`, signature: `TypeError: ${message} @ f` });

const RECORDS: RunRecord[] = [
  record(0),
  record(1, { status: 'rejected', findings: 0, rejection: 'is not valid JSON' }),
  record(2, { status: 'crash', findings: 0, issues: [crash('a')] }),
  record(3, { status: 'crash', findings: 0, issues: [crash('a')], family: 'zap', mutators: ['truncate', 'bom'] }),
  record(4, { status: 'crash', findings: 0, issues: [crash('b')] }),
  record(5, { family: 'arbitrary', seedName: undefined, mutators: ['fc-json'], issues: [{ kind: 'slow', detail: 'took 12 s', signature: 'slow fc-json' }] }),
];

describe('tallies', () => {
  it('counts inputs, statuses and issues per family and in total', () => {
    // Act
    const byFamily = tallyBy(RECORDS, (r) => [r.family]);
    const all = total(RECORDS);
    // Assert
    expect([...byFamily.keys()]).toEqual(['arbitrary', 'sarif', 'zap']);
    expect(byFamily.get('sarif')).toMatchObject({ inputs: 4, ok: 1, rejected: 1, issues: { crash: 2, slow: 0 } });
    expect(all).toMatchObject({ inputs: 6, ok: 2, rejected: 1, issues: { crash: 3, slow: 1, invalid: 0 } });
  });

  it('counts an input once under every mutator it went through', () => {
    // Act
    const byMutator = tallyBy(RECORDS, (r) => r.mutators);
    // Assert
    expect(byMutator.get('truncate')!.inputs).toBe(1);
    expect(byMutator.get('bom')!.issues.crash).toBe(1);
  });
});

describe('examples', () => {
  it('gives one example per signature, the most frequent first', () => {
    // Act
    const found = examples(RECORDS, 'crash');
    // Assert
    expect(found.total).toBe(3);
    expect(found.signatures).toBe(2);
    expect(found.examples.map((e) => [e.record.run, e.count])).toEqual([
      [2, 2],
      [4, 1],
    ]);
  });
});

describe('formatReport', () => {
  it('prints the family table, and each failure with its mutation and the command that reproduces it', () => {
    // Arrange
    const result: CampaignResult = { seed: 9, runsPlanned: 6, records: RECORDS, stoppedEarly: false, elapsedMs: 1500, families: new Map([['samples/x.sarif', 'sarif']]), skippedSeeds: [] };
    // Act
    const text = formatReport(result, { reproduce: (run) => `npm run fuzz -- --seed 9 --only ${run}`, savedPath: (r) => (r.run === 2 ? 'tmp/fuzz/failures/run-2.input' : undefined) });
    // Assert
    expect(text).toContain('| family | inputs | ok | rejected | crashes | invalid findings | duplicate Ids | external fetch | entity expansion | slow | memory |');
    expect(text).toContain('| sarif | 4 | 1 | 1 | 2 | 0 | 0 | 0 | 0 | 0 | 0 |');
    expect(text).toContain('| **total** | 6 | 2 | 1 | 3 | 0 | 0 | 0 | 0 | 1 | 0 |');
    expect(text).toContain('## crashes: 3 in 3 input(s), 2 distinct signature(s)');
    expect(text).toContain('reproduce: npm run fuzz -- --seed 9 --only 2   saved: tmp/fuzz/failures/run-2.input');
    expect(text).toContain('mutation: wrong-type $.runs[2]: array → null');
    expect(text).toContain('## slow: 1 in 1 input(s)');
  });
});
