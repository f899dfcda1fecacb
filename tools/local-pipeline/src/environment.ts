import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSecurityHubLocal, type SecurityHubLocal } from '@devsecops/securityhub-local';
import S3rver from 's3rver';
import { startFakeAws, type FakeAws } from './fake-aws/server';
import { fakeAwsWorld, LAMBDAS, type LambdaName, type PipelinePlan } from './plan';
import { InvocationError } from './runner';

/**
 * The local stand-ins for AWS, started and stopped together: securityhub-local (persisted, so a second run sees the
 * first), s3rver for the reports bucket (path-style), and the fake for CodePipeline, CodeBuild, IAM and SNS. And the
 * way a bundled Lambda is invoked: its dist/apps/<fn>/main.mjs imported and its `handler` called with the event and a
 * Lambda context, with that function's own environment variables set, as Lambda would.
 */

export type Environment = Record<string, string | undefined>;

export interface LocalServices {
  hub: SecurityHubLocal;
  s3Endpoint: string;
  aws: FakeAws;
  close(): Promise<void>;
}

/** s3rver accepts any well-formed signature (allowMismatchedSignatures) but only its own access key id. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export async function startLocalServices(plan: PipelinePlan, stateDir: string, options: { throttling?: boolean } = {}): Promise<LocalServices> {
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    const results = await Promise.allSettled(started.reverse().map((s) => s.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  };
  try {
    const hub = await startSecurityHubLocal({
      port: 0,
      persistPath: join(stateDir, 'securityhub.json'),
      accountId: plan.accountId,
      region: plan.region,
      ...(options.throttling === undefined ? {} : { throttling: options.throttling }),
    });
    started.push(hub);
    const s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: join(stateDir, 's3'),
      allowMismatchedSignatures: true,
      vhostBuckets: false,
      configureBuckets: [{ name: plan.reportsBucket }],
    });
    const address = await s3.run();
    started.push({
      close: async () => {
        const closing = s3.close();
        s3.httpServer?.closeAllConnections();
        await closing;
      },
    });
    const aws = await startFakeAws(fakeAwsWorld(plan));
    started.push(aws);
    return { hub, s3Endpoint: `http://127.0.0.1:${address.port}`, aws, close: closeAll };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

/** Variables every function gets: Region, credentials the local servers accept, and every endpoint pointed at them. */
export function commonEnvironment(plan: PipelinePlan, services: Pick<LocalServices, 's3Endpoint' | 'aws'> & { hubEndpoint: string }, logLevel: string): Environment {
  return {
    AWS_REGION: plan.region,
    AWS_DEFAULT_REGION: plan.region,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    // Would make the SDK ignore the endpoint variables below and talk to AWS.
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    SECURITYHUB_ENDPOINT: services.hubEndpoint,
    S3_ENDPOINT: services.s3Endpoint,
    AWS_ENDPOINT_URL_SNS: services.aws.endpoint,
    AWS_ENDPOINT_URL_CODEPIPELINE: services.aws.endpoint,
    AWS_ENDPOINT_URL_CODEBUILD: services.aws.endpoint,
    AWS_ENDPOINT_URL_IAM: services.aws.endpoint,
    // Every other client (SSM, KMS, CloudTrail… of playbooks not run here) reaches the fake too, never AWS.
    AWS_ENDPOINT_URL: services.aws.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: logLevel,
    POWERTOOLS_TRACE_ENABLED: 'false',
    // The parsers' Embedded Metric Format lines are for CloudWatch Logs; here they would only clutter the timeline.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/** What CodePipeline must keep (EXPECTED_PIPELINE): its stages in order, its scan (Test) and approval actions. */
export function expectedPipeline(plan: PipelinePlan): { stages: string[]; actions: { name: string; stage: string; role: string }[] } {
  const stages = plan.pipeline.stages ?? [];
  return {
    stages: stages.map((s) => s.name ?? ''),
    actions: stages.flatMap((s) =>
      (s.actions ?? []).flatMap((a) => {
        const category = a.actionTypeId?.category;
        const role = category === 'Test' ? 'scan' : category === 'Approval' ? 'approval' : undefined;
        return role ? [{ name: a.name ?? '', stage: s.name ?? '', role }] : [];
      }),
    ),
  };
}

/** Each function's own variables, as apps/infra wires them. */
export function functionEnvironments(plan: PipelinePlan): Record<LambdaName, Environment> {
  const parser: Environment = {
    AWS_ACCOUNT_ID: plan.accountId,
    REPORTS_BUCKET: plan.reportsBucket,
    GATE_FAIL_ON: 'HIGH',
    DEFAULT_REPOSITORY: plan.repository,
    DEFAULT_BRANCH: plan.branch,
  };
  return {
    'sca-parser': parser,
    'sast-parser': parser,
    'dast-parser': parser,
    'approval-notifier': {
      AWS_ACCOUNT_ID: plan.accountId,
      APPROVERS_TOPIC_ARN: plan.approversTopicArn,
      REPOSITORY: plan.repository,
      BRANCH: plan.branch,
    },
    'cloudtrail-alerter': {
      AWS_ACCOUNT_ID: plan.accountId,
      ALERT_TOPIC_ARN: plan.notificationsTopicArn,
      WATCHED_PIPELINES: plan.pipelineName,
      WATCHED_PROJECTS: 'patient-portal-*',
      EXPECTED_PIPELINE: JSON.stringify(expectedPipeline(plan)),
    },
    'auto-remediator': {
      REMEDIATOR_NAME: 'patient-portal-auto-remediator',
      DRY_RUN: 'true',
      ALLOWED_PLAYBOOKS: 'CodeBuild.2',
      ALLOWED_ACCOUNTS: plan.accountId,
      REQUIRED_RESOURCE_TAG: 'Application=patient-portal',
      CODEBUILD_PARAMETER_PREFIX: '/patient-portal/codebuild',
      REPORT_TOPIC_ARN: plan.notificationsTopicArn,
    },
  };
}

/** Sets variables in place (modules keep a reference to process.env) and returns how to put them back. */
export function applyEnvironment(vars: Environment, env: NodeJS.ProcessEnv = process.env): () => void {
  const previous = Object.keys(vars).map((key) => [key, env[key]] as const);
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
  };
}

export function bundlePath(distDir: string, fn: LambdaName): string {
  return join(distDir, fn, 'main.mjs');
}

export function missingBundles(distDir: string): string[] {
  return LAMBDAS.filter((fn) => !existsSync(bundlePath(distDir, fn))).map((fn) => bundlePath(distDir, fn));
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

function lambdaContext(fn: LambdaName, plan: PipelinePlan, requestId: string) {
  return {
    functionName: fn,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${plan.region}:${plan.accountId}:function:${fn}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 300_000,
  };
}

/**
 * Invokes the bundled functions one at a time, each with the common variables plus its own set while it is
 * imported (its clients are built then) and while it runs. `instance` makes the import a fresh module, a cold start
 * bound to these endpoints, even if another run in the same process imported the bundle before.
 */
export function bundleInvoker(options: {
  distDir: string;
  plan: PipelinePlan;
  common: Environment;
  perFunction: Record<LambdaName, Environment>;
  instance: string;
}): (fn: LambdaName, event: unknown) => Promise<unknown> {
  const handlers = new Map<LambdaName, Handler>();
  let requests = 0;
  return async (fn, event) => {
    const restore = applyEnvironment({ ...options.common, ...options.perFunction[fn], AWS_LAMBDA_FUNCTION_NAME: fn, POWERTOOLS_SERVICE_NAME: fn });
    try {
      let handler = handlers.get(fn);
      if (!handler) {
        const url = `${pathToFileURL(bundlePath(options.distDir, fn)).href}?instance=${encodeURIComponent(options.instance)}`;
        const module = (await import(url)) as { handler?: Handler };
        if (typeof module.handler !== 'function') throw new InvocationError('Runtime.HandlerNotFound', `${fn}: main.mjs exports no handler`);
        handler = module.handler;
        handlers.set(fn, handler);
      }
      requests += 1;
      return await handler(event, lambdaContext(fn, options.plan, `local-${options.instance}-${requests}`));
    } catch (error) {
      if (error instanceof InvocationError) throw error;
      const e = error as { code?: unknown; name?: string; message?: string };
      throw new InvocationError(typeof e?.code === 'string' ? e.code : (e?.name ?? 'Error'), e?.message ?? String(error));
    } finally {
      restore();
    }
  };
}
