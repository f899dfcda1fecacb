import type { S3Client } from '@aws-sdk/client-s3';
import { putEncrypted } from './encrypted-put';
import { evidenceDigests, evidenceObjectName, linkedEvidence, type AwsSecurityFinding, type FindingDraft } from '@devsecops/asff';

/** The whole evidence texts of a scan's drafts by SHA-256 (what buildFinding linked them as). */
export function evidenceBySha(drafts: readonly FindingDraft[]): Map<string, { text: string; contentType: string }> {
  const out = new Map<string, { text: string; contentType: string }>();
  for (const draft of drafts) {
    if (!draft.evidence) continue;
    const digests = evidenceDigests(draft.evidence);
    digests.forEach((d, i) => out.set(d.sha256, { text: draft.evidence![i]!.text, contentType: draft.evidence![i]!.contentType ?? 'text/plain; charset=utf-8' }));
  }
  return out;
}

export interface EvidenceStoreOptions {
  s3: S3Client;
  bucket: string;
  /** Key prefix ending in `/`, e.g. `evidence/`. */
  prefix: string;
  kmsKeyId?: string;
}

/** Where a scan's evidence goes, as ScanScope.evidenceLocation. */
export function evidenceLocation(options: Pick<EvidenceStoreOptions, 'bucket' | 'prefix'>): string {
  return `s3://${options.bucket}/${options.prefix}`;
}

/**
 * The importer's `beforeSend`: stores (SSE-KMS, content-addressed) the evidence each finding of a batch links to,
 * once per text, before the batch goes to Security Hub. Only findings being sent pass here, so an unchanged
 * re-scan writes nothing. A failed write rejects, and the importer fails that batch's findings.
 */
export function evidenceWriter(evidence: ReadonlyMap<string, { text: string; contentType: string }>, options: EvidenceStoreOptions): (findings: readonly AwsSecurityFinding[]) => Promise<void> {
  const written = new Map<string, Promise<void>>();
  const store = (sha: string, item: { text: string; contentType: string }) =>
    putEncrypted(options.s3, { bucket: options.bucket, key: `${options.prefix}${evidenceObjectName(sha)}`, body: item.text, contentType: item.contentType, ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}) });
  return async (findings) => {
    const pending: Promise<void>[] = [];
    for (const finding of findings) {
      for (const sha of linkedEvidence(finding)) {
        const item = evidence.get(sha);
        if (!item) continue; // linked by an earlier scan (an archived version): already stored then
        let write = written.get(sha);
        if (!write) {
          write = store(sha, item);
          // A failed write is tried again by the next batch that links it.
          write.catch(() => written.delete(sha));
          written.set(sha, write);
        }
        pending.push(write);
      }
    }
    await Promise.all(pending);
  };
}
