import { existsSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import type { StoredFinding } from './store';
import { PROVIDER_FIELDS } from './store';

const FORMAT = 'securityhub-local/1';
/** Entries per write: keeps memory flat when the store holds tens of thousands of findings. */
const WRITE_CHUNK = 500;

interface PersistedStore {
  format: typeof FORMAT;
  savedAt: string;
  findings: StoredFinding[];
}

function isStoredFinding(value: unknown): value is StoredFinding {
  if (typeof value !== 'object' || value === null) return false;
  const { finding, customerEdited } = value as Partial<StoredFinding>;
  return (
    typeof finding === 'object' &&
    finding !== null &&
    typeof finding.Id === 'string' &&
    typeof finding.ProductArn === 'string' &&
    Array.isArray(customerEdited) &&
    customerEdited.every((f) => (PROVIDER_FIELDS as readonly string[]).includes(f))
  );
}

/** The findings saved at `path`, in creation order; [] when the file does not exist yet. Throws on a damaged file. */
export async function loadStore(path: string): Promise<StoredFinding[]> {
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`securityhub-local: cannot read the store ${path}: ${(error as Error).message}`);
  }
  const doc = parsed as Partial<PersistedStore>;
  if (doc?.format !== FORMAT || !Array.isArray(doc.findings) || !doc.findings.every(isStoredFinding)) {
    throw new Error(`securityhub-local: ${path} is not a ${FORMAT} store file`);
  }
  return doc.findings;
}

/**
 * Writes the store as one JSON document (one finding per line), through a temporary file renamed into place,
 * so a crash mid-write never leaves a half-written store behind.
 */
export async function saveStore(path: string, findings: readonly StoredFinding[], now: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.write(`{"format":"${FORMAT}","savedAt":${JSON.stringify(now)},"findings":[\n`);
    for (let i = 0; i < findings.length; i += WRITE_CHUNK) {
      const lines = findings.slice(i, i + WRITE_CHUNK).map((f) => JSON.stringify({ finding: f.finding, customerEdited: f.customerEdited }));
      await file.write(`${i > 0 ? ',\n' : ''}${lines.join(',\n')}`);
    }
    await file.write('\n]}\n');
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporary, path);
}
