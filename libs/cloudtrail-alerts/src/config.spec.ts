import { alerterConfigFromEnv, expectationFor, matchesPattern } from './config';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';

describe('alerterConfigFromEnv', () => {
  it('reads watch lists, expectations and thresholds', () => {
    // Act
    const config = alerterConfigFromEnv({
      ALERT_TOPIC_ARN: TOPIC,
      WATCHED_PIPELINES: 'portal-pipeline, api-pipeline',
      WATCHED_PARAMETERS: '/devsecops/scanners/*',
      EXPECTED_PIPELINE: '{"stages":["Source","Scan"],"actions":["SCAnalysis",{"name":"Approve","category":"Approval"}]}',
      ALERT_MIN_SEVERITY: 'medium',
      IMPORT_FINDINGS: 'false',
    });
    // Assert
    expect(config).toEqual({
      alertTopicArn: TOPIC,
      watch: { pipelines: ['portal-pipeline', 'api-pipeline'], projects: [], trails: [], parameters: ['/devsecops/scanners/*'] },
      expectations: { all: { stages: ['Source', 'Scan'], actions: [{ name: 'SCAnalysis' }, { name: 'Approve', category: 'Approval' }] }, byPipeline: {} },
      trailLogBuckets: [],
      minMailSeverity: 'MEDIUM',
      importFindings: false,
    });
  });

  it('takes expectations per pipeline', () => {
    const config = alerterConfigFromEnv({ ALERT_TOPIC_ARN: TOPIC, EXPECTED_PIPELINE: '{"byPipeline":{"a":{"stages":["Source"]}}}' });
    expect(expectationFor(config, 'a')).toEqual({ stages: ['Source'], actions: [] });
    expect(expectationFor(config, 'b')).toBeUndefined();
  });

  it('names every bad variable', () => {
    expect(() => alerterConfigFromEnv({ EXPECTED_PIPELINE: '{"stages":"Source"}', ALERT_MIN_SEVERITY: 'loud', IMPORT_FINDINGS: 'yes' })).toThrow(
      /ALERT_TOPIC_ARN: must be an SNS topic ARN; EXPECTED_PIPELINE: .*ALERT_MIN_SEVERITY: must be a severity label, got "loud"; IMPORT_FINDINGS: must be true or false/,
    );
  });
});

describe('matchesPattern', () => {
  it('matches exact names and * prefixes; an empty list matches everything', () => {
    expect(matchesPattern('/devsecops/scanners/sonar', ['/devsecops/scanners/*'])).toBe(true);
    expect(matchesPattern('/other', ['/devsecops/scanners/*', 'x'])).toBe(false);
    expect(matchesPattern('anything', [])).toBe(true);
  });
});
