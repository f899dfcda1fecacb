import { readdirSync, readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { join, relative } from 'node:path';
import { buildFindings } from '@devsecops/asff';
import { readReport, readReportStream, selectParser } from '@devsecops/report-input';
import { parseReads } from '@devsecops/scan-ingest';
import { FIXED_NOW, sharedFixturesDir, testScope, workspaceRoot } from '@devsecops/test-support';
import { ALL_PARSERS } from './cli';

/**
 * Every report in the repository (samples, the parsers' fixtures) and in ../shared/fixtures: the streaming reader
 * (readReportStream, streaming from 0 bytes, in 13-byte chunks) gives exactly the findings, or exactly the error,
 * of the in-memory path (readReport, detection, parse), with every parser available as in the CLI.
 */

const REPORT_FILE = /\.(json|xml|sarif|txt)$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (REPORT_FILE.test(name) && name !== 'package.json') out.push(path);
  }
  return out;
}

const repoFiles = [
  ...filesUnder(join(workspaceRoot, 'samples/patient-portal')),
  ...filesUnder(join(workspaceRoot, 'samples/patient-portal-fixed')),
  ...readdirSync(join(workspaceRoot, 'libs/parsers')).flatMap((lib) => filesUnder(join(workspaceRoot, 'libs/parsers', lib, 'src/__fixtures__'))),
];
const shared = sharedFixturesDir();
const sharedFiles = shared ? filesUnder(shared) : [];

type Outcome = { findings: unknown[]; warnings: string[] } | { error: string };

function inMemory(bytes: Uint8Array, source: string): Outcome {
  try {
    const doc = readReport(bytes, source);
    const parsed = selectParser(doc, ALL_PARSERS).parse(doc);
    return { findings: buildFindings(parsed, testScope({ tool: parsed.tool }), FIXED_NOW), warnings: parsed.warnings };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

async function streamed(bytes: Uint8Array, source: string): Promise<Outcome> {
  const chunks = Array.from({ length: Math.ceil(bytes.length / 13) }, (_, i) => bytes.subarray(i * 13, i * 13 + 13));
  try {
    const read = await readReportStream(chunks, source, { parsers: ALL_PARSERS, streamFrom: 0, sliceChars: 101 });
    const { parsed } = parseReads([read], { parsers: ALL_PARSERS });
    return { findings: buildFindings(parsed, testScope({ tool: parsed.tool }), FIXED_NOW), warnings: parsed.warnings };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('streaming and in-memory reading agree on every report', () => {
  it('finds the repository reports', () => {
    expect(repoFiles.length).toBeGreaterThan(20);
  });

  const named = [...repoFiles.map((f) => [relative(workspaceRoot, f), f]), ...sharedFiles.map((f) => [`shared/fixtures/${relative(shared!, f)}`, f])];
  it.each(named)('%s', async (name, file) => {
    // Arrange
    const bytes = readFileSync(file);
    // Act
    const expected = inMemory(bytes, name);
    const actual = await streamed(bytes, name);
    // Assert
    expect(actual).toEqual(expected);
  });
});

describe('streaming and in-memory reading agree on damaged reports', () => {
  const sample = readFileSync(join(workspaceRoot, 'samples/patient-portal/dependency-check-report.json'));
  const pretty = Buffer.from(JSON.stringify(JSON.parse(sample.toString('utf8')), null, 2));

  it('truncated, with a byte replaced or inserted, or with text before or after: same findings, or both refuse', async () => {
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('wrap' as const), before: fc.string({ maxLength: 30 }), after: fc.string({ maxLength: 30 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(sample, pretty), damage, async (base, d) => {
        // Arrange
        let bytes: Buffer;
        if (d.kind === 'truncate') bytes = base.subarray(0, d.at % base.length);
        else if (d.kind === 'replace') bytes = Buffer.from(base).fill(d.byte, d.at % base.length, (d.at % base.length) + 1);
        else if (d.kind === 'insert') bytes = Buffer.concat([base.subarray(0, d.at % base.length), Buffer.from([d.byte]), base.subarray(d.at % base.length)]);
        else bytes = Buffer.concat([Buffer.from(d.before), base, Buffer.from(d.after)]);
        // Act
        const expected = inMemory(bytes, 'damaged.json');
        const actual = await streamed(bytes, 'damaged.json');
        // Assert: never a partial or different import; errors may word the position differently
        if ('error' in expected) {
          expect(actual).toHaveProperty('error');
          expect((actual as { error: string }).error).toMatch(/^damaged\.json: /);
        } else {
          expect(actual).toEqual(expected);
        }
      }),
      { numRuns: 100 },
    );
  });
});
