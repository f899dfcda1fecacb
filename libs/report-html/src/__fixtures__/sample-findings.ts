import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsSecurityFinding } from '@devsecops/asff';

/*
 * The sample application's real-format reports, converted the way the pipeline converts them and kept as ASFF
 * (sample-findings.json), so that this library depends on no parser. apps/findings-cli/src/formats/golden.spec.ts
 * keeps the file equal to a fresh conversion of samples/.
 */
const GOLDEN = JSON.parse(readFileSync(join(__dirname, 'sample-findings.json'), 'utf8')) as {
  now: string;
  'patient-portal': AwsSecurityFinding[];
  'patient-portal-fixed': AwsSecurityFinding[];
};
export const NOW = GOLDEN.now;

export function sampleFindings(dir: 'patient-portal' | 'patient-portal-fixed' = 'patient-portal'): AwsSecurityFinding[] {
  return structuredClone(GOLDEN[dir]);
}
