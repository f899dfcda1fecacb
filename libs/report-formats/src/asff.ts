import type { ReportInput } from './model';

/**
 * Today's `convert` output: the findings as one JSON array, 2-space indented, byte for byte what
 * `JSON.stringify(findings, null, 2)` gives, but yielded one finding at a time.
 */
export function* renderAsff(input: ReportInput): Iterable<string> {
  if (input.findings.length === 0) {
    yield '[]\n';
    return;
  }
  for (let i = 0; i < input.findings.length; i += 1) {
    const body = JSON.stringify(input.findings[i], null, 2).replace(/\n/g, '\n  ');
    yield `${i === 0 ? '[\n' : ',\n'}  ${body}`;
  }
  yield '\n]\n';
}
