import { ACCESS_KEY, createProject, deleteParameters, deletePipeline, eventBridge, putParameter, stopLogging, updatePipeline, updateTrail } from './__fixtures__/events';
import { CloudTrailApiCallEventSchema } from './event';
import { CLOUDTRAIL_ALERTER_EVENT_PATTERN } from './pattern';

/** The subset of EventBridge matching the pattern uses: exact values in arrays, nested objects. */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) return expected.includes(actual);
    return typeof actual === 'object' && actual !== null && matches(expected as Record<string, unknown>, actual as Record<string, unknown>);
  });
}

describe('CLOUDTRAIL_ALERTER_EVENT_PATTERN', () => {
  it.each([stopLogging(), updatePipeline(), deletePipeline(), createProject(), putParameter(), deleteParameters(), updateTrail({})])('matches %#', (detail) => {
    expect(matches(CLOUDTRAIL_ALERTER_EVENT_PATTERN, eventBridge(detail))).toBe(true);
  });

  it('does not match read calls nor other services', () => {
    expect(matches(CLOUDTRAIL_ALERTER_EVENT_PATTERN, eventBridge({ ...stopLogging(), eventName: 'GetTrailStatus' }))).toBe(false);
    expect(matches(CLOUDTRAIL_ALERTER_EVENT_PATTERN, eventBridge({ ...stopLogging(), eventSource: 's3.amazonaws.com' }, 'aws.s3'))).toBe(false);
  });
});

describe('CloudTrailApiCallEventSchema', () => {
  it('accepts the EventBridge event of a CloudTrail record', () => {
    expect(CloudTrailApiCallEventSchema.parse(eventBridge(stopLogging())).detail.eventName).toBe('StopLogging');
  });

  it.each([
    [{ ...eventBridge(stopLogging()), 'detail-type': 'Security Hub Findings - Imported' }, /detail-type/],
    [eventBridge({ ...stopLogging(), eventID: undefined }), /detail\.eventID/],
    [eventBridge({ ...stopLogging(), eventTime: 'yesterday' }), /detail\.eventTime/],
  ])('refuses a malformed event %#', (event, problem) => {
    const result = CloudTrailApiCallEventSchema.safeParse(event);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.')).join(' ')).toMatch(problem);
  });

  it('does not echo request values in its errors', () => {
    const result = CloudTrailApiCallEventSchema.safeParse(eventBridge({ ...createProject(), eventTime: 42 }));
    expect(JSON.stringify(result.error!.issues)).not.toContain(ACCESS_KEY);
  });
});
