import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { evidenceObjectName, type AwsSecurityFinding, type FindingDraft } from '@devsecops/asff';
import { evidenceBySha, evidenceWriter } from '@devsecops/scan-ingest';

/** Where `--evidence` stores whole evidence texts: a directory (one file per text) or an S3 prefix. */
export type EvidenceTarget = { kind: 'dir'; dir: string; location: string } | { kind: 's3'; bucket: string; prefix: string; location: string };

export function evidenceTargetOf(value: string | undefined): EvidenceTarget | undefined {
  if (value === undefined) return undefined;
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value.trim());
  if (s3) {
    const prefix = s3[2] ? `${s3[2].replace(/\/+$/, '')}/` : '';
    return { kind: 's3', bucket: s3[1]!, prefix, location: `s3://${s3[1]}/${prefix}` };
  }
  const dir = resolve(value);
  return { kind: 'dir', dir, location: `${dir}/` };
}

/**
 * The importer's `beforeSend` for an S3 target (only what is sent is written), or, for a directory, a write of every
 * text now: files named sha256/<hex>, so a later run with the same evidence writes the same files.
 */
export async function storeEvidence(
  target: EvidenceTarget,
  drafts: readonly FindingDraft[],
  s3: () => S3Client,
): Promise<((findings: readonly AwsSecurityFinding[]) => Promise<void>) | undefined> {
  const evidence = evidenceBySha(drafts);
  if (evidence.size === 0) return undefined;
  if (target.kind === 's3') return evidenceWriter(evidence, { s3: s3(), bucket: target.bucket, prefix: target.prefix });
  await mkdir(join(target.dir, 'sha256'), { recursive: true });
  for (const [sha, item] of evidence) await writeFile(join(target.dir, evidenceObjectName(sha)), item.text);
  return undefined;
}
