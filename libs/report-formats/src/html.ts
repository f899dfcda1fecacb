import { renderHtmlReport } from '@devsecops/report-html';
import type { Partition } from '@devsecops/asff';
import { findingFacts, isBlocking, reportTime, type ReportInput } from './model';

const PARTITIONS: readonly string[] = ['aws', 'aws-us-gov', 'aws-cn'];

/** The triage page of libs/report-html for any scan: the gate, blocking, new and fixed since the base. */
export function* renderHtml(input: ReportInput): Iterable<string> {
  const facts = input.findings.map(findingFacts);
  const { gate, changes } = input;
  const resource = input.findings[0]?.Resources?.[0];
  // The base's active Ids: what is active now and not new, plus what the base had and this scan fixed.
  const previousActiveIds = changes ? [...facts.filter((f) => f.active && !changes.newIds.has(f.id)).map((f) => f.id), ...changes.fixed.map((f) => f.Id ?? '')] : undefined;
  yield renderHtmlReport({
    title: input.title ?? 'Security findings',
    generatedAt: reportTime(input),
    findings: input.findings,
    verdicts: gate
      ? [{ stage: 'findings gate', passed: gate.passed, blocking: gate.blocking, ...(gate.failOn ? { failOn: gate.failOn } : {}) }]
      : undefined,
    blockingIds: gate ? facts.filter((f) => isBlocking(f, gate)).map((f) => f.id) : undefined,
    previousActiveIds,
    fixed: changes?.fixed,
    repositoryUrlTemplate: input.repositoryUrlTemplate,
    region: resource?.Region,
    partition: PARTITIONS.includes(resource?.Partition ?? '') ? (resource!.Partition as Partition) : undefined,
  });
}
