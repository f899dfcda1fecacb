import { evaluateGate, gateJson } from '@devsecops/gate';
import { emptyCounts } from '@devsecops/asff';
import type { ScanResponse } from '@devsecops/scan-ingest';
import { duration, formatCountsTable, formatMessage, formatStep, severityList } from './format';
import type { TimelineStep } from './runner';

const response: ScanResponse = {
  status: 'ok',
  account: '123456789012',
  throttled: 0,
  tool: 'dependency-check',
  total: 7,
  active: 6,
  bySeverity: { ...emptyCounts(), CRITICAL: 2, HIGH: 3, MEDIUM: 1 },
  imported: 7,
  unchanged: 0,
  archived: 0,
  reactivated: 0,
  failed: [],
  notSent: 0,
  apiCalls: 2,
  gate: { ...gateJson(evaluateGate([], { failOn: 'HIGH', now: new Date(0) })), passed: false, blocking: 5, summary: 'gate FAILED: 5 blocking (5 HIGH) · 0 suppressed' },
  decisionsWritten: 0,
  warnings: [],
};

function step(overrides: Partial<TimelineStep>): TimelineStep {
  return { stage: 'Scan', title: 'SCA', startedAt: 1_000, durationMs: 412, status: 'ok', detail: { kind: 'note', lines: [] }, ...overrides };
}

describe('terminal formatting', () => {
  it('lists the severities that occur, most severe first', () => {
    // Act / Assert
    expect(severityList({ ...emptyCounts(), LOW: 3, CRITICAL: 1 })).toBe('CRITICAL 1, LOW 3');
    expect(severityList(emptyCounts())).toBe('none');
  });

  it('prints durations in ms below a second, else in seconds', () => {
    // Act / Assert
    expect(duration(412.4)).toBe('412 ms');
    expect(duration(2345)).toBe('2.35 s');
  });

  it('heads a step with clock time, time since the run started, stage, title, function and duration', () => {
    // Act
    const lines = formatStep(step({ lambda: 'sca-parser', startedAt: 2_500 }), 1_000);
    // Assert
    expect(lines[1]).toMatch(/^▶ \d\d:\d\d:\d\d\.\d{3} +\+1\.50 s {2}Scan · SCA — sca-parser \(412 ms\)$/);
  });

  it("shows a scan's counts, import result and gate decision", () => {
    // Act
    const text = formatStep(
      step({ detail: { kind: 'scan', scan: { label: 'SCA', lambda: 'sca-parser', tool: 'dependency-check', sources: ['patient-portal/dc.json'], buildId: 'b' }, objectUri: 's3://b/k', response } }),
      1_000,
    ).join('\n');
    // Assert
    expect(text).toContain('CodeBuild uploads samples/patient-portal/dc.json');
    expect(text).toContain('dependency-check: 7 finding(s), 6 active (CRITICAL 2, HIGH 3, MEDIUM 1)');
    expect(text).toContain('imported 7, unchanged 0, archived 0, reactivated 0, failed 0; 2 Security Hub call(s)');
    expect(text).toContain('gate FAILED: 5 blocking (5 HIGH) · 0 suppressed (fail on HIGH)');
  });

  it('says which scans block a failed gate', () => {
    // Act
    const text = formatStep(step({ detail: { kind: 'gate', passed: false, failOn: ['HIGH'], blocking: [{ tool: 'dependency-check', blocking: 5 }, { tool: 'zap', blocking: 1 }] } }), 1_000).join('\n');
    // Assert
    expect(text).toContain('FAILED (fail on HIGH): dependency-check 5, zap 1 blocking');
  });

  it('shows an alert up to its request parameters (the whole pipeline definition follows)', () => {
    // Arrange
    const message = { topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', subject: '[CRITICAL] UpdatePipeline', message: 'Why: removes stage DAST\n\nRequest parameters (secrets redacted):\n{\n  "pipeline": {}\n}', messageId: 'm' };
    // Act
    const text = formatStep(step({ detail: { kind: 'alert', outcome: { status: 'alerted', eventId: 'e', eventName: 'UpdatePipeline', severity: 'CRITICAL', imported: true, mailed: true }, message } }), 1_000).join('\n');
    // Assert
    expect(text).toContain('│ Subject: [CRITICAL] UpdatePipeline');
    expect(text).toContain('│ Request parameters (secrets redacted):');
    expect(text).not.toContain('"pipeline"');
    expect(text).toContain('│ … 3 more line(s)');
  });

  it('frames a whole mail', () => {
    // Act
    const lines = formatMessage({ topicArn: 'arn:t', subject: 'S', message: 'a\n\nb', messageId: 'm' });
    // Assert
    expect(lines).toEqual(['┌─ SNS message to arn:t', '│ Subject: S', '│', '│ a', '│', '│ b', '└─']);
  });

  it('marks a failed step with its error', () => {
    // Act
    const text = formatStep(step({ status: 'failed', error: { code: 'InvalidReport', message: 'bad' } }), 1_000).join('\n');
    // Assert
    expect(text).toContain('FAILED: InvalidReport: bad');
  });

  it('aligns the counts table with a total row', () => {
    // Arrange
    const table = [{ tool: 'zap', counts: { ...emptyCounts(), HIGH: 1, LOW: 12 }, total: 13 }];
    // Act
    const lines = formatCountsTable(table, { tool: 'total', counts: table[0]!.counts, total: 13 });
    // Assert
    expect(lines[0]).toBe('  tool                CRITICAL  HIGH  MEDIUM  LOW  INFORMATIONAL  total');
    expect(lines[2]).toBe('  zap                        0     1       0   12              0     13');
    expect(lines.at(-1)).toBe('  total                      0     1       0   12              0     13');
  });
});
