import { readFileSync } from 'node:fs';
import http from 'node:http';
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { ReportError } from '@devsecops/report-input';
import { FAILING_KINDS, ISSUE_LABELS, realPipeline, runCampaign, type CampaignOptions, type Pipeline, type PipelineResult, type RunRecord } from './campaign';
import { installFetchGuard, type FetchGuard } from './guards';
import { ENTITY_PAYLOAD } from './mutators';
import { formatReport } from './report';
import { loadSeeds, toSeed } from './seeds';

const fixture = (name: string) => readFileSync(join(__dirname, '__fixtures__', name));
const SEEDS = [toSeed('mini-sarif.json', fixture('mini-sarif.json')), toSeed('mini-zap.xml', fixture('mini-zap.xml'))];
const VALID: PipelineResult = realPipeline(fixture('mini-sarif.json'), 'mini-sarif.json');

/** The real pipeline for the seeds (so families are real), `fake` for the fuzzed inputs. */
function pipelineWith(fake: (bytes: Buffer) => PipelineResult): Pipeline {
  return (bytes, source) => (source.startsWith('fuzz-run-') ? fake(bytes) : realPipeline(bytes, source));
}

function runOne(fake: (bytes: Buffer) => PipelineResult, options: Partial<CampaignOptions> = {}): RunRecord {
  const result = runCampaign({ seeds: SEEDS, runs: 0, only: [7], seed: 1, pipeline: pipelineWith(fake), ...options });
  expect(result.records).toHaveLength(1);
  return result.records[0]!;
}

function withFindings(change: (findings: PipelineResult['findings']) => void): () => PipelineResult {
  return () => {
    const findings = structuredClone(VALID.findings);
    change(findings);
    return { ...VALID, findings };
  };
}

const kindsOf = (record: RunRecord) => record.issues.map((i) => i.kind);

describe('run classification', () => {
  it('counts a ReportError as an expected rejection, with no issue', () => {
    // Act
    const record = runOne(() => {
      throw new ReportError('x', 'is not a report');
    });
    // Assert
    expect(record.status).toBe('rejected');
    expect(record.rejection).toBe('is not a report');
    expect(record.issues).toEqual([]);
  });

  it('counts any other exception as a crash, with its stack and a signature naming the frame', () => {
    // Act
    const record = runOne(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    });
    // Assert
    expect(record.status).toBe('crash');
    expect(kindsOf(record)).toEqual(['crash']);
    expect(record.issues[0]!.detail).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'x'\)\n\s+at /);
    expect(record.issues[0]!.signature).toMatch(/^TypeError: .* @ /);
  });

  it('passes valid findings with unique Ids', () => {
    // Act
    const record = runOne(() => VALID);
    // Assert
    expect(record.status).toBe('ok');
    expect(record.findings).toBe(VALID.findings.length);
    expect(record.issues).toEqual([]);
  });

  it('reports a finding validateFinding rejects, naming the field', () => {
    // Act
    const record = runOne(withFindings((f) => (f[0]!.Title = ' ')));
    // Assert
    expect(kindsOf(record)).toEqual(['invalid']);
    expect(record.issues[0]!.detail).toContain('Title must have at least 1 non-blank character(s)');
  });

  it('reports a finding carrying a lone surrogate (not encodable as UTF-8)', () => {
    // Act
    const record = runOne(withFindings((f) => (f[0]!.Description = 'bad \ud800 text')));
    // Assert
    expect(kindsOf(record)).toEqual(['invalid']);
    expect(record.issues[0]!.detail).toContain('Description contains a lone surrogate');
  });

  it('reports two findings with one Id', () => {
    // Act
    const record = runOne(withFindings((f) => (f[1]!.Id = f[0]!.Id)));
    // Assert
    expect(kindsOf(record)).toEqual(['duplicate']);
    expect(record.issues[0]!.detail).toContain(VALID.findings[0]!.Id);
  });

  it('slow inputs and memory growth are reported, entity-free memory growth is not an expansion', () => {
    // Arrange
    let now = 0;
    let heap = 0;
    const clock = () => (now += 11_000);
    const memory = () => ({ heapUsed: (heap += 2 ** 30), maxRss: 0 });
    // Act
    const record = runOne(() => VALID, { clock, memory, slowMs: 10_000, generate: { mutators: ['wrong-type'] } });
    // Assert
    expect(kindsOf(record).sort()).toEqual(['memory', 'slow']);
  });

  it('stops starting new inputs after the time limit', () => {
    // Arrange
    let now = 0;
    // Act
    const result = runCampaign({ seeds: SEEDS, runs: 50, seed: 1, pipeline: pipelineWith(() => VALID), clock: () => (now += 1_000), timeLimitMs: 10_000 });
    // Assert
    expect(result.stoppedEarly).toBe(true);
    expect(result.records.length).toBeGreaterThan(0);
    expect(result.records.length).toBeLessThan(50);
  });

  it('reproduces one run of a campaign with --only', () => {
    // Arrange
    const full = runCampaign({ seeds: SEEDS, runs: 30, seed: 77 });
    // Act
    const again = runCampaign({ seeds: SEEDS, runs: 0, only: [13, 29], seed: 77 });
    // Assert
    const pick = (r: RunRecord) => [r.run, r.description, r.status, r.bytes, r.findings];
    expect(again.records.map(pick)).toEqual([full.records[13]!, full.records[29]!].map(pick));
  });
});

describe('entity safety', () => {
  const entityOptions = { generate: { mutators: ['xml-entity-bomb'] } };

  it('real pipeline: refuses entity bombs and external entities, expands nothing', () => {
    // Act
    const result = runCampaign({ seeds: SEEDS, runs: 40, seed: 5, generate: { mutators: ['xml-entity-bomb', 'xml-external-entity', 'xml-parameter-entity'] } });
    // Assert
    expect(result.records.map((r) => r.status)).toEqual(Array(40).fill('rejected'));
    expect(result.records.flatMap((r) => r.issues)).toEqual([]);
  });

  it('a pipeline that accepts a document declaring entities fails, and so does one whose output holds the payload', () => {
    // Arrange
    const expanding = withFindings((f) => (f[0]!.Description = ENTITY_PAYLOAD.repeat(6_000)));
    // Act
    const record = runOne(() => ({ ...expanding(), format: 'xml' }), entityOptions);
    // Assert
    const expansions = record.issues.filter((i) => i.kind === 'expansion');
    expect(expansions.map((i) => i.signature)).toEqual(['entity declaration accepted', `payload ${ENTITY_PAYLOAD} in output`]);
  });

  it('memory growth on a document declaring entities counts as an expansion', () => {
    // Arrange
    let heap = 0;
    // Act
    const record = runOne(
      () => {
        throw new ReportError('x', 'refused');
      },
      { ...entityOptions, memory: () => ({ heapUsed: (heap += 2 ** 30), maxRss: 0 }) },
    );
    // Assert
    expect(kindsOf(record)).toEqual(['expansion']);
  });
});

describe('fetch guard', () => {
  let guard: FetchGuard;
  beforeEach(() => {
    guard = installFetchGuard();
  });
  afterEach(() => guard.uninstall());

  it('records a file read even when the parser swallows the error', () => {
    // Act
    const record = runOne(
      () => {
        try {
          fs.readFileSync('/etc/passwd');
        } catch {
          // a parser that ignores the failure still attempted the read
        }
        return VALID;
      },
      { guard },
    );
    // Assert
    expect(record.status).toBe('ok');
    expect(kindsOf(record)).toEqual(['fetch']);
    expect(record.issues[0]!.detail).toMatch(/^fs\.readFileSync\(\/etc\/passwd\)/);
  });

  it('blocks a network request and reports it', () => {
    // Act
    const record = runOne(
      () => {
        http.request('http://127.0.0.1:9/x');
        return VALID;
      },
      { guard },
    );
    // Assert
    expect(kindsOf(record).sort()).toEqual(['crash', 'fetch']);
    expect(record.issues.find((i) => i.kind === 'fetch')!.detail).toContain('http.request(http://127.0.0.1:9/x)');
  });

  it('lets files and sockets through again once disarmed', () => {
    // Act
    runOne(() => VALID, { guard });
    // Assert
    expect(fs.readFileSync(join(__dirname, '__fixtures__', 'mini-zap.xml')).length).toBeGreaterThan(0);
    expect(guard.take()).toEqual([]);
  });
});

/**
 * The CI campaign: a short run over every report in the repository. It fails, listing each failure with the
 * command that reproduces it, until the parsers and shared libraries handle every input.
 */
describe('short campaign over the repository reports', () => {
  const root = resolve(__dirname, '../../..');
  const RUNS = 500;

  it(`${RUNS} inputs: no crash, invalid finding, duplicate Id, external fetch or entity expansion`, () => {
    // Arrange
    const seeds = loadSeeds(root);
    const guard = installFetchGuard();
    // Act
    let result;
    try {
      result = runCampaign({ seeds, runs: RUNS, guard });
    } finally {
      guard.uninstall();
    }
    // Assert
    const families = new Set(result.records.map((r) => r.family));
    expect([...families].sort()).toEqual(['arbitrary', 'dependency-check', 'phpstan', 'sarif', 'sonarqube', 'zap']);
    expect(result.records.filter((r) => r.status === 'ok').length).toBeGreaterThan(RUNS / 4);
    const failures = result.records.flatMap((r) =>
      r.issues
        .filter((i) => FAILING_KINDS.includes(i.kind))
        .map((i) => `run ${r.run} [${r.family}] ${ISSUE_LABELS[i.kind]}: ${i.signature} — ${r.description.slice(0, 160)} — npm run fuzz -- --seed ${result.seed} --only ${r.run}`),
    );
    if (failures.length > 0) process.stderr.write(`${formatReport(result, { reproduce: (run) => `npm run fuzz -- --seed ${result.seed} --only ${run}` })}\n`);
    expect(failures).toEqual([]);
  }, 600_000);
});
