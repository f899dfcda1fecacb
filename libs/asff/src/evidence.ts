import { createHash } from 'node:crypto';
import { EVIDENCE_FIELD_PREFIX } from './product-fields';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { EvidenceText } from './types';

/** At most this many evidence texts per finding: each takes two of the 50 ProductFields. */
export const MAX_EVIDENCE_PER_FINDING = 4;

export interface EvidenceDigest {
  name: string;
  sha256: string;
  bytes: number;
}

const NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** The SHA-256 (hex) and UTF-8 size of each evidence text, the names checked (a bad name is a parser bug). */
export function evidenceDigests(evidence: readonly EvidenceText[] | undefined): EvidenceDigest[] {
  return (evidence ?? []).slice(0, MAX_EVIDENCE_PER_FINDING).map((e) => {
    if (!NAME.test(e.name)) throw new Error(`evidence name "${e.name}" must be one word of letters and digits`);
    return { name: e.name, sha256: createHash('sha256').update(e.text, 'utf8').digest('hex'), bytes: Buffer.byteLength(e.text, 'utf8') };
  });
}

/** The object name of an evidence text under an evidence location: content-addressed, so a rewrite is idempotent. */
export function evidenceObjectName(sha256: string): string {
  return `sha256/${sha256}`;
}

/** ProductFields for the digests: the link (or `sha256:<hex>` without a location) and the size. */
export function evidenceFields(digests: readonly EvidenceDigest[], location: string | undefined): [string, string][] {
  return digests.flatMap((d) => [
    [`${EVIDENCE_FIELD_PREFIX}${d.name}`, location ? `${location}${evidenceObjectName(d.sha256)}` : `sha256:${d.sha256}`],
    [`${EVIDENCE_FIELD_PREFIX}${d.name}/Bytes`, String(d.bytes)],
  ]);
}

/** The SHA-256 digests a finding links to (from its ProductFields). */
export function linkedEvidence(finding: Pick<AwsSecurityFinding, 'ProductFields'>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(finding.ProductFields ?? {})) {
    if (!key.startsWith(EVIDENCE_FIELD_PREFIX) || key.endsWith('/Bytes')) continue;
    const match = /(?:^sha256:|\/sha256\/)([0-9a-f]{64})$/.exec(value);
    if (match) out.push(match[1]!);
  }
  return out;
}
