import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { approvalConfigFromEnv } from '@devsecops/approval';
import { alerterConfigFromEnv, expectationFor } from '@devsecops/cloudtrail-alerts';
import { remediationConfigFromEnv } from '@devsecops/remediation';
import { workspaceRoot } from '@devsecops/test-support';
import { applyEnvironment, commonEnvironment, expectedPipeline, functionEnvironments, missingBundles, S3RVER_CREDENTIALS, startLocalServices } from './environment';
import { loadPlan } from './plan';

const plan = loadPlan(join(workspaceRoot, 'samples'), { fixed: false });

describe('function environments', () => {
  it("are configurations each function's own parser accepts", () => {
    // Arrange
    const env = functionEnvironments(plan);
    // Act
    const approval = approvalConfigFromEnv(env['approval-notifier'] as NodeJS.ProcessEnv);
    const alerter = alerterConfigFromEnv(env['cloudtrail-alerter'] as NodeJS.ProcessEnv);
    const remediation = remediationConfigFromEnv(env['auto-remediator'] as NodeJS.ProcessEnv);
    // Assert
    expect(approval).toMatchObject({ approversTopicArn: plan.approversTopicArn, repository: plan.repository, branch: plan.branch });
    expect(alerter.watch.pipelines).toEqual([plan.pipelineName]);
    expect(expectationFor(alerter, plan.pipelineName)?.stages).toEqual(['Source', 'Scan', 'Deploy-Staging', 'DAST', 'Approval', 'Deploy-Production']);
    expect(remediation).toMatchObject({ dryRun: true, allowedPlaybooks: ['CodeBuild.2'], allowedAccounts: [plan.accountId] });
    expect(env['sca-parser']).toMatchObject({ GATE_FAIL_ON: 'HIGH', REPORTS_BUCKET: plan.reportsBucket });
  });

  it('expect every scan and the approval action to stay in the pipeline', () => {
    // Act
    const expected = expectedPipeline(plan);
    // Assert
    expect(expected.actions).toEqual([
      { name: 'SCA-DependencyCheck', stage: 'Scan', role: 'scan' },
      { name: 'SAST', stage: 'Scan', role: 'scan' },
      { name: 'DAST-ZAP', stage: 'DAST', role: 'scan' },
      { name: 'ManualApproval', stage: 'Approval', role: 'approval' },
    ]);
  });

  it('point every AWS endpoint at the local servers, so that nothing reaches AWS', () => {
    // Act
    const env = commonEnvironment(plan, { hubEndpoint: 'http://127.0.0.1:1', s3Endpoint: 'http://127.0.0.1:2', aws: { endpoint: 'http://127.0.0.1:3' } as never }, 'SILENT');
    // Assert
    expect(env).toMatchObject({
      SECURITYHUB_ENDPOINT: 'http://127.0.0.1:1',
      S3_ENDPOINT: 'http://127.0.0.1:2',
      AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:3',
      AWS_ENDPOINT_URL_CODEPIPELINE: 'http://127.0.0.1:3',
      AWS_ENDPOINT_URL_CODEBUILD: 'http://127.0.0.1:3',
      AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:3',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:3',
    });
    expect('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS' in env && env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === undefined).toBe(true);
  });
});

describe('applyEnvironment', () => {
  it('sets and removes variables in place, then puts back exactly what was there', () => {
    // Arrange
    const env: NodeJS.ProcessEnv = { KEEP: 'k', CHANGE: 'old', DROP: 'd' };
    const same = env;
    // Act
    const restore = applyEnvironment({ CHANGE: 'new', DROP: undefined, ADD: 'a' }, env);
    const during = { ...env };
    restore();
    // Assert
    expect(during).toEqual({ KEEP: 'k', CHANGE: 'new', ADD: 'a' });
    expect(env).toEqual({ KEEP: 'k', CHANGE: 'old', DROP: 'd' });
    expect(env).toBe(same);
  });
});

describe('local services', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'local-pipeline-'));
  });
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

  it('start an S3 with the reports bucket (path-style), Security Hub and the fake, and stop them all', async () => {
    // Arrange
    const services = await startLocalServices(plan, stateDir, { throttling: false });
    const s3 = new S3Client({ endpoint: services.s3Endpoint, forcePathStyle: true, region: plan.region, credentials: S3RVER_CREDENTIALS });
    try {
      // Act
      await s3.send(new PutObjectCommand({ Bucket: plan.reportsBucket, Key: 'reports/zap/a%2Fb/main/-/-/r.json', Body: '{"site":[]}' }));
      const object = await s3.send(new GetObjectCommand({ Bucket: plan.reportsBucket, Key: 'reports/zap/a%2Fb/main/-/-/r.json' }));
      // Assert
      expect(await object.Body!.transformToString()).toBe('{"site":[]}');
      expect((await fetch(`${services.hub.endpoint}/accounts`)).status).toBe(200);
      expect(services.aws.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      s3.destroy();
      await services.close();
    }
    const refused = await fetch(services.aws.endpoint, { method: 'POST' }).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
  });

  it('name the bundles that are missing', () => {
    // Act / Assert
    expect(missingBundles(join(stateDir, 'dist'))).toHaveLength(6);
  });
});
