import { join } from 'node:path';
import type { ReportDocument } from '@devsecops/report-input';
import { readFixture } from '@devsecops/test-support';

export { checkFindings, jsonDoc } from '@devsecops/test-support';

export function fixturePath(name: string): string {
  return join(__dirname, name);
}

export function fixtureDoc(name: string): ReportDocument {
  return readFixture(__dirname, name);
}
