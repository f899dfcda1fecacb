import { alerterConfigFromEnv, type AlerterConfig } from './config';
import {
  ALERT_TOPIC,
  EXPECTED_PIPELINE,
  createProject,
  deleteParameters,
  deletePipeline,
  deleteTrail,
  pipelineDeclaration,
  putParameter,
  stopLogging,
  updatePipeline,
  updateTrail,
} from './__fixtures__/events';
import { describeChange } from './describe';
import type { CloudTrailDetail } from './event';
import { comparePipeline, judgeChange } from './severity';

const config: AlerterConfig = alerterConfigFromEnv({ ALERT_TOPIC_ARN: ALERT_TOPIC, EXPECTED_PIPELINE });

function judge(detail: CloudTrailDetail, c: AlerterConfig = config) {
  return judgeChange(describeChange(detail, '123456789012'), detail.requestParameters, c);
}

describe('judgeChange: the severity table', () => {
  it.each([
    ['StopLogging', stopLogging(), 'CRITICAL', 'TTPs/Defense Evasion/StopLogging'],
    ['DeleteTrail', deleteTrail(), 'CRITICAL', 'TTPs/Defense Evasion/DeleteTrail'],
    ['UpdatePipeline removing the scan stage', updatePipeline({ withoutScan: true }), 'CRITICAL', 'TTPs/Defense Evasion'],
    ['UpdatePipeline removing the approval', updatePipeline({ withoutApproval: true }), 'CRITICAL', 'TTPs/Defense Evasion'],
    ['DeletePipeline', deletePipeline(), 'HIGH', 'Software and Configuration Checks/AWS Security Best Practices/Pipeline Change'],
    ['UpdateTrail turning validation off', updateTrail({ enableLogFileValidation: false }), 'HIGH', 'TTPs/Defense Evasion/UpdateTrail'],
    ['UpdateTrail otherwise', updateTrail({ snsTopicName: 'trail-notes' }), 'MEDIUM', 'Software and Configuration Checks/AWS Security Best Practices/Audit Trail Change'],
    ['CreateProject with plaintext credentials', createProject(), 'HIGH', 'Sensitive Data Identifications/Passwords'],
    ['PutParameter as a plaintext String', putParameter('String'), 'HIGH', 'Sensitive Data Identifications/Passwords'],
    ['PutParameter as a SecureString', putParameter('SecureString'), 'MEDIUM', 'Software and Configuration Checks/AWS Security Best Practices/Scanner Secret Change'],
    ['DeleteParameters', deleteParameters(), 'HIGH', 'Software and Configuration Checks/AWS Security Best Practices/Scanner Secret Change'],
    ['a routine UpdatePipeline', updatePipeline(), 'LOW', 'Software and Configuration Checks/AWS Security Best Practices/Pipeline Change'],
  ])('%s is %s', (_, detail, severity, type) => {
    // Act
    const judgement = judge(detail);
    // Assert
    expect(judgement.severity).toBe(severity);
    expect(judgement.types).toContain(type);
  });

  it('explains which gate an update removed', () => {
    expect(judge(updatePipeline({ withoutApproval: true })).reasons).toEqual([
      'updates pipeline patient-portal-pipeline: removes stage Manual-Approval',
      'updates pipeline patient-portal-pipeline: removes approval action ApprovalRequired',
    ]);
  });

  it('counts a failed call one level lower', () => {
    const judgement = judge(stopLogging({ errorCode: 'AccessDenied', errorMessage: 'denied' }));
    expect(judgement.severity).toBe('HIGH');
    expect(judgement.reasons).toContain('the call failed (AccessDenied): an attempt, not a change');
  });

  it('raises anything the root user does to at least HIGH', () => {
    const judgement = judge({ ...updatePipeline(), userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' } });
    expect(judgement.severity).toBe('HIGH');
  });

  it('keeps an UpdatePipeline LOW without expectations, and says the stages were not checked', () => {
    const judgement = judge(updatePipeline({ withoutScan: true }), alerterConfigFromEnv({ ALERT_TOPIC_ARN: ALERT_TOPIC }));
    expect(judgement.severity).toBe('LOW');
    expect(judgement.reasons[0]).toMatch(/not checked/);
  });

  it('never puts a secret value in its reasons', () => {
    expect(JSON.stringify(judge(createProject()))).not.toMatch(/AKIA|wJalr/);
  });
});

describe('comparePipeline', () => {
  it('finds a scan stage moved after the approval', () => {
    // Arrange
    const declaration = pipelineDeclaration();
    const [source, scan, approval, deploy] = declaration.stages;
    // Act
    const problems = comparePipeline([source!, approval!, deploy!, scan!], { stages: ['Source', 'SCA-and-SAST-Analysis', 'Manual-Approval', 'Deploy'], actions: [] });
    // Assert
    expect(problems).toEqual(['reorders stages: expected Source → SCA-and-SAST-Analysis → Manual-Approval → Deploy, found Source → Manual-Approval → Deploy → SCA-and-SAST-Analysis']);
  });

  it('finds an approval action replaced by another category', () => {
    const declaration = pipelineDeclaration();
    const stages = declaration.stages.map((s) =>
      s.name === 'Manual-Approval' ? { ...s, actions: [{ name: 'ApprovalRequired', actionTypeId: { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' } }] } : s,
    );
    expect(comparePipeline(stages, { stages: [], actions: [{ name: 'ApprovalRequired', category: 'Approval', role: 'approval' }] })).toEqual([
      'changes approval action ApprovalRequired from category Approval to Invoke',
    ]);
  });

  it('treats an expected action name ending in * as a prefix: kept by any matching action, lost when none is left', () => {
    const scanStage = (names: string[]) => [{ name: 'Scan', actions: names.map((name) => ({ name, actionTypeId: { category: 'Test' } })) }];
    const expected = { stages: [], actions: [{ name: 'SAST*', stage: 'Scan', role: 'scan' }] };

    expect(comparePipeline(scanStage(['SCA-DependencyCheck', 'SAST']), expected)).toEqual([]);
    expect(comparePipeline(scanStage(['SCA-DependencyCheck', 'SAST-semgrep', 'SAST-phpstan']), expected)).toEqual([]);
    expect(comparePipeline(scanStage(['SCA-DependencyCheck']), expected)).toEqual(['removes scan action SAST* (stage Scan)']);
    expect(comparePipeline(scanStage(['SASTRE']), { stages: [], actions: [{ name: 'SAST' }] })).toEqual(['removes action SAST']);
  });

  it('finds nothing wrong in the expected definition', () => {
    expect(comparePipeline(pipelineDeclaration().stages, JSON.parse(EXPECTED_PIPELINE))).toEqual([]);
  });
});
