import { Metrics } from '@aws-lambda-powertools/metrics';
import { emitScanMetrics, METRICS_NAMESPACE, scanMetrics } from './metrics';

const RESPONSE = {
  total: 120,
  imported: 7,
  unchanged: 100,
  archived: 3,
  notSent: 0,
  throttled: 2,
  failed: [
    { id: 'a', code: 'InvalidInput', message: '' },
    { id: 'b', code: 'InvalidInput', message: '' },
    { id: 'c', code: 'StoredFindingNotFound', message: '' },
  ],
};

describe('scan metrics', () => {
  it('counts parsed, imported, unchanged, archived, failed by code, throttled and ingestion events', () => {
    // act
    const metrics = scanMetrics(RESPONSE);
    // assert
    expect(Object.fromEntries(metrics.filter((m) => !m.dimension).map((m) => [m.name, m.value]))).toEqual({
      FindingsParsed: 120,
      FindingsImported: 7,
      FindingsUnchanged: 100,
      FindingsArchived: 3,
      FindingsFailed: 3,
      FindingsNotSent: 0,
      ThrottledRequests: 2,
      IngestionEvents: 10,
    });
    expect(metrics.filter((m) => m.dimension)).toEqual([
      { name: 'FindingsFailedByCode', value: 2, dimension: { name: 'ErrorCode', value: 'InvalidInput' } },
      { name: 'FindingsFailedByCode', value: 1, dimension: { name: 'ErrorCode', value: 'StoredFindingNotFound' } },
    ]);
  });

  it('writes CloudWatch Embedded Metric Format to stdout, one dimension set per function', () => {
    // arrange
    // The test setup sets POWERTOOLS_DEV (metrics off, printed with the global console); switch them on here.
    const lines: string[] = [];
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const write = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'sca-parser' });
    // act
    try {
      emitScanMetrics(metrics, scanMetrics(RESPONSE), { tool: 'dependency-check', repository: 'hospital/portal', category: undefined });
    } finally {
      write.mockRestore();
      delete process.env.POWERTOOLS_METRICS_DISABLED;
    }
    // assert
    const blobs = lines.map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } });
    expect(blobs).toHaveLength(3);
    const main = blobs[0]!;
    expect(main._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'DevSecOps/Findings', Dimensions: [['service']] });
    expect(main._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).toContain('FindingsFailed');
    expect(main).toMatchObject({ service: 'sca-parser', FindingsFailed: 3, IngestionEvents: 10, tool: 'dependency-check', repository: 'hospital/portal' });
    expect(blobs[1]).toMatchObject({ ErrorCode: 'InvalidInput', FindingsFailedByCode: 2, service: 'sca-parser' });
    expect(blobs[1]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'ErrorCode']]);
  });
});
