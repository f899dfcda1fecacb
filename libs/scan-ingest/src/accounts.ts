import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';

/** The SDK's credential shape (@smithy/types' AwsCredentialIdentity, not a direct dependency here). */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * Where a scan's findings are imported. With Security Hub's default product the calling account must equal every
 * finding's AwsAccountId (asff.md §2), so a finding of a workload account is imported by a role in that account,
 * which the parser assumes; the admin account then sees it through aggregation.
 */
export interface ImportAccount {
  /** AwsAccountId of the findings and the account whose Security Hub receives them. */
  awsAccountId: string;
  /** Role to assume first; absent = the function's own credentials. */
  roleArn?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|\{account\}):role\/[\w+=,.@\/-]{1,512}$/;

/**
 * The import account of one event. The event's `importRoleArn`, when given, decides (see eventRoleAccount).
 * Otherwise `roleSetting` is IMPORT_ROLE_ARN: a role ARN, or a template with `{account}`
 * (`arn:aws:iam::{account}:role/devsecops-findings-import`) filled with the event's `account`. Returns an
 * error message when the event names an account this function cannot import into.
 */
export function importAccountFor(ownAccount: string, requested: string | undefined, roleSetting: string | undefined, eventRole?: string): ImportAccount | string {
  if (eventRole?.trim()) return eventRoleAccount(ownAccount, requested, eventRole.trim());
  const setting = roleSetting?.trim() || undefined;
  if (setting !== undefined && !ROLE_ARN.test(setting)) return `IMPORT_ROLE_ARN must be an IAM role ARN (its account may be {account}), got "${setting}"`;
  const templated = setting?.includes('{account}') ?? false;
  const settingAccount = setting && !templated ? /::(\d{12}):/.exec(setting)![1]! : undefined;
  const account = requested ?? settingAccount ?? ownAccount;
  if (account === ownAccount && (settingAccount === undefined || settingAccount === ownAccount)) return { awsAccountId: ownAccount };
  if (setting === undefined) return `account ${account} is not this function's account (${ownAccount}) and IMPORT_ROLE_ARN is not set`;
  if (!templated && settingAccount !== account) return `account ${account} does not match IMPORT_ROLE_ARN's account ${settingAccount}`;
  return { awsAccountId: account, roleArn: templated ? setting.replace('{account}', account) : setting };
}

/**
 * The event's `importRoleArn` (what the pipeline stack sends for an application in a workload account): it names
 * the account (`account`, if also given, must agree) and wins over IMPORT_ROLE_ARN. Which roles the function may
 * assume is bounded by its IAM policy (sts:AssumeRole on the `<name>-securityhub-import` roles only).
 */
function eventRoleAccount(ownAccount: string, requested: string | undefined, role: string): ImportAccount | string {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@\/-]{1,512}$/.exec(role);
  if (!m) return `importRoleArn must be an IAM role ARN, got "${role}"`;
  const roleAccount = m[1]!;
  if (requested !== undefined && requested !== roleAccount) return `account ${requested} does not match importRoleArn's account ${roleAccount}`;
  return roleAccount === ownAccount ? { awsAccountId: ownAccount } : { awsAccountId: roleAccount, roleArn: role };
}

/** Refresh this long before the temporary credentials expire. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Credentials of an assumed role, fetched on first use and again shortly before they expire (STS AssumeRole;
 * default session 1 hour). The session name names the function, so CloudTrail in the workload account shows
 * who imported.
 */
export function assumedRoleCredentials(sts: STSClient, roleArn: string, sessionName: string, clock: () => number = Date.now): () => Promise<TemporaryCredentials> {
  let cached: TemporaryCredentials | undefined;
  return async () => {
    if (cached?.expiration && cached.expiration.getTime() - REFRESH_MARGIN_MS > clock()) return cached;
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64) }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, ...(c.Expiration ? { expiration: c.Expiration } : {}) };
    return cached;
  };
}
