import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { ScanResponse } from './ingest';

/** CloudWatch namespace of the parser functions' metrics (the alarm in apps/infra watches FindingsFailed there). */
export const METRICS_NAMESPACE = 'DevSecOps/Findings';
/** Findings Security Hub or the importer refused in one invocation; any is worth an alarm. */
export const FAILED_FINDINGS_METRIC = 'FindingsFailed';

export interface ScanMetric {
  name: string;
  value: number;
  /** Extra dimension of this metric alone (the error code of failed findings). */
  dimension?: { name: string; value: string };
}

/**
 * One scan's metrics: findings parsed, imported, unchanged, archived, failed (in all and per error code), throttled
 * responses, and ingestion events (each accepted import or archive emits one "Security Hub Findings - Imported"
 * event and is billed, asff.md §1).
 */
export function scanMetrics(response: Pick<ScanResponse, 'total' | 'imported' | 'unchanged' | 'archived' | 'failed' | 'notSent' | 'throttled'>): ScanMetric[] {
  const byCode = new Map<string, number>();
  for (const failure of response.failed) byCode.set(failure.code, (byCode.get(failure.code) ?? 0) + 1);
  return [
    { name: 'FindingsParsed', value: response.total },
    { name: 'FindingsImported', value: response.imported },
    { name: 'FindingsUnchanged', value: response.unchanged },
    { name: 'FindingsArchived', value: response.archived },
    { name: FAILED_FINDINGS_METRIC, value: response.failed.length },
    { name: 'FindingsNotSent', value: response.notSent },
    { name: 'ThrottledRequests', value: response.throttled },
    { name: 'IngestionEvents', value: response.imported + response.archived },
    ...[...byCode].map(([code, value]) => ({ name: 'FindingsFailedByCode', value, dimension: { name: 'ErrorCode', value: code.slice(0, 250) } })),
  ];
}

/**
 * Writes the metrics as Embedded Metric Format to stdout (CloudWatch Logs turns them into metrics; no API call).
 * The only dimension is Powertools' `service` (the function), so one alarm per function sees every scan; the
 * scan's identity rides along as metadata (searchable in the log, not a dimension).
 */
export function emitScanMetrics(metrics: Metrics, list: readonly ScanMetric[], metadata: Record<string, string | undefined> = {}): void {
  for (const [key, value] of Object.entries(metadata)) if (value !== undefined) metrics.addMetadata(key, value);
  for (const metric of list) {
    if (metric.dimension) continue;
    metrics.addMetric(metric.name, MetricUnit.Count, metric.value);
  }
  metrics.publishStoredMetrics();
  for (const metric of list) {
    if (!metric.dimension) continue;
    const single = metrics.singleMetric();
    single.addDimension(metric.dimension.name, metric.dimension.value);
    single.addMetric(metric.name, MetricUnit.Count, metric.value);
  }
}
