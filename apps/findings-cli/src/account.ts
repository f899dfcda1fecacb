import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { isPartition, partitionForRegion, type AwsTarget } from '@devsecops/asff';
import { UsageError } from './args';

/** What the SDK clients accept as credentials: a provider function (tests inject one), or the default chain. */
export type AwsCredentialIdentityProvider = Exclude<STSClientConfig['credentials'], undefined>;

/** The account of the examples in AWS documentation; never used for an import. */
export const PLACEHOLDER_ACCOUNT = '123456789012';

/** A Region name: us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-7, us-isob-east-1. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function checkRegion(region: string, from: string): string {
  if (!REGION_PATTERN.test(region)) throw new UsageError(`${from} must be an AWS Region such as eu-west-1, got "${region}"`);
  return region;
}

function checkAccount(account: string, from: string): string {
  if (!/^\d{12}$/.test(account)) throw new UsageError(`${from} must be a 12-digit AWS account id, got "${account}"`);
  return account;
}

/** The account of a CodeBuild build ARN: arn:aws:codebuild:<region>:<account>:build/<project>:<id>. */
export function accountFromBuildArn(arn: string | undefined): string | undefined {
  const match = /^arn:aws[a-z-]*:codebuild:[a-z0-9-]+:(\d{12}):build\//.exec(arn ?? '');
  return match?.[1];
}

/** A problem with the AWS credentials: one line, exit 2, with how to run against tools/securityhub-local. */
export class CredentialsError extends UsageError {}

export const LOCAL_HINT =
  'for tools/securityhub-local: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_ACCOUNT_ID=111122223333 findings import REPORT --endpoint http://127.0.0.1:4566';

export function isCredentialsProblem(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  return e?.name === 'CredentialsProviderError' || /could not load credentials/i.test(e?.message ?? '');
}

export function credentialsError(error: unknown): CredentialsError {
  const detail = (error as Error)?.message?.split('\n')[0] ?? String(error);
  return new CredentialsError(`no usable AWS credentials (${detail}); set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or ${LOCAL_HINT}`);
}

export interface TargetOptions {
  account?: string;
  region?: string;
  partition?: string;
  env: NodeJS.ProcessEnv;
  /** Import: the account must be real, so STS is asked when nothing else names it, and the Region must be known. */
  forImport: boolean;
  credentials?: AwsCredentialIdentityProvider;
  /** The SDK's Region chain (AWS_REGION, the shared config profile); undefined when it has none. */
  sdkRegion?: () => Promise<string | undefined>;
  /** Import: called with the Region once known, before STS; throws a CredentialsError when there are none. */
  verifyCredentials?: (region: string) => Promise<void>;
}

/** The Region from the SDK's own chain, as a client would resolve it. */
export async function sdkRegion(): Promise<string | undefined> {
  try {
    return await new STSClient({}).config.region();
  } catch {
    return undefined;
  }
}

/**
 * Account, Region and partition of the findings. Account: --account, $AWS_ACCOUNT_ID, $CODEBUILD_BUILD_ARN, then
 * (import only) one STS GetCallerIdentity. The placeholder is used only by convert and gate, which make no AWS call.
 */
export async function resolveTarget(options: TargetOptions): Promise<AwsTarget> {
  const { env } = options;
  let region: string | undefined;
  if (options.region !== undefined) region = checkRegion(options.region, '--region');
  else if (env.AWS_REGION) region = checkRegion(env.AWS_REGION, 'AWS_REGION');
  else if (env.AWS_DEFAULT_REGION) region = checkRegion(env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION');
  else {
    const fromSdk = await (options.sdkRegion ?? sdkRegion)();
    if (fromSdk) region = checkRegion(fromSdk, 'the Region of the AWS profile');
  }
  if (!region) {
    if (options.forImport) throw new UsageError('no AWS Region: give --region or set AWS_REGION');
    region = 'us-east-1';
  }
  const partition = options.partition ?? partitionForRegion(region);
  if (!isPartition(partition)) throw new UsageError(`--partition must be aws, aws-us-gov or aws-cn, got "${partition}"`);
  await options.verifyCredentials?.(region);

  let account: string | undefined;
  if (options.account !== undefined) account = checkAccount(options.account, '--account');
  else if (env.AWS_ACCOUNT_ID) account = checkAccount(env.AWS_ACCOUNT_ID, 'AWS_ACCOUNT_ID');
  else account = accountFromBuildArn(env.CODEBUILD_BUILD_ARN);
  if (!account && options.forImport) account = await accountFromSts(region, options.credentials);
  if (options.forImport && account === PLACEHOLDER_ACCOUNT) {
    throw new UsageError(`${PLACEHOLDER_ACCOUNT} is the documentation placeholder, not an account to import into; give the real --account`);
  }
  return { awsAccountId: account ?? PLACEHOLDER_ACCOUNT, region, partition };
}

async function accountFromSts(region: string, credentials: AwsCredentialIdentityProvider | undefined): Promise<string> {
  const sts = new STSClient({ region, maxAttempts: 2, ...(credentials ? { credentials } : {}) });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (identity.Account && /^\d{12}$/.test(identity.Account)) return identity.Account;
    throw new Error(`STS returned no account (${identity.Account ?? 'none'})`);
  } catch (error) {
    if (isCredentialsProblem(error)) throw credentialsError(error);
    const e = error as Error;
    throw new UsageError(`cannot tell the AWS account: STS GetCallerIdentity failed (${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message.split('\n')[0]}); give --account or set AWS_ACCOUNT_ID`);
  } finally {
    sts.destroy();
  }
}
