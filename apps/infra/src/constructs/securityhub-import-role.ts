import { Aws, CfnRule, Duration, Fn, Stack, Stage, type StackProps, type StageProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { importRoleName } from '../function-wiring';
import { acknowledgeInlinePolicies } from '../nag';

export interface SecurityHubImportRoleProps {
  /** The installation's name: the role is `<name>-securityhub-import`; the parser roles are tagged `Application=<name>`. */
  prefix: string;
  /** The account whose parser functions assume the role. */
  toolingAccount: string;
  /** The account the role belongs in: a template rule refuses to deploy it anywhere else. */
  workloadAccount: string;
}

/**
 * The role, in a workload account, that the tooling account's parser functions assume to import that account's
 * findings: Security Hub accepts a default-product finding only from the account in its AwsAccountId. It may import
 * into the default product of this account and Region, and read and update findings in this account's hub; nothing else.
 */
export class SecurityHubImportRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SecurityHubImportRoleProps) {
    super(scope, id);
    const { prefix, toolingAccount } = props;
    const p = Aws.PARTITION;
    this.role = new iam.Role(this, 'Role', {
      roleName: importRoleName(prefix),
      description: `${prefix}: the tooling account's parser functions import this account's scan findings into Security Hub`,
      // Only this installation's roles of the tooling account (tagged Application=<name> by the CDK app, named
      // <name>-…); of those, only the parser roles are allowed sts:AssumeRole on it by their own policy.
      assumedBy: new iam.AccountPrincipal(toolingAccount).withConditions({
        StringEquals: { 'aws:PrincipalTag/Application': prefix },
        ArnLike: { 'aws:PrincipalArn': `arn:${p}:iam::${toolingAccount}:role/${prefix}-*` },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ImportFindings',
        actions: ['securityhub:BatchImportFindings'],
        resources: [`arn:${p}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`],
      }),
    );
    // Read back the scan's scope, archive what a complete scan no longer reports, keep workflow decisions.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAndUpdateFindings',
        actions: ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings'],
        resources: [`arn:${p}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:hub/default`],
      }),
    );
    // Deploying it into the wrong account (a forgotten --profile) fails before anything is created.
    new CfnRule(this, 'OnlyInWorkloadAccount', {
      assertions: [{ assert: Fn.conditionEquals(Aws.ACCOUNT_ID, props.workloadAccount), assertDescription: `This stack belongs in account ${props.workloadAccount}.` }],
    });
  }
}

export type WorkloadImportRoleStackProps = StackProps & SecurityHubImportRoleProps;

/** The import role's stack, deployed with the workload account's credentials. */
export class WorkloadImportRoleStack extends Stack {
  readonly workloadAccount: string;
  readonly importRole: SecurityHubImportRole;

  constructor(scope: Construct, id: string, props: WorkloadImportRoleStackProps) {
    super(scope, id, props);
    this.workloadAccount = props.workloadAccount;
    this.importRole = new SecurityHubImportRole(this, 'SecurityHubImport', { prefix: props.prefix, toolingAccount: props.toolingAccount, workloadAccount: props.workloadAccount });
    acknowledgeInlinePolicies(this);
  }
}

/**
 * One Stage per workload account: `cdk deploy --all` selects only top-level stacks, so these are never deployed with
 * the tooling account's credentials by mistake; deploy one with `cdk deploy 'Workload-<account>/*' --profile …`.
 */
export class WorkloadStage extends Stage {
  readonly stack: WorkloadImportRoleStack;

  constructor(scope: Construct, id: string, props: StageProps & WorkloadImportRoleStackProps) {
    super(scope, id, props);
    this.stack = new WorkloadImportRoleStack(this, 'SecurityHubImportRole', {
      prefix: props.prefix,
      toolingAccount: props.toolingAccount,
      workloadAccount: props.workloadAccount,
      stackName: `${props.prefix}-securityhub-import`,
      description: `${props.prefix}: role the tooling account's parser functions assume to import findings into this account's Security Hub`,
    });
  }
}
