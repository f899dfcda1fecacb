import { Aws } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { EB_DEPLOYMENT_POLICIES, type EbDeploymentPolicy } from '../config';
import { acknowledge, wildcardResourceFinding } from '../nag';

export interface ElasticBeanstalkDeployActionProps extends codepipeline.CommonAwsActionProps {
  applicationName: string;
  environmentName: string;
  /** The environment's DeploymentPolicy; decides which resources a deployment creates and so what the role may do. */
  deploymentPolicy?: EbDeploymentPolicy;
  /** The environment's EC2 instance-profile role (passed to EC2 when a deployment launches instances). */
  instanceRoleName?: string;
  input: codepipeline.Artifact;
}

/**
 * CodePipeline's Elastic Beanstalk deploy, with a policy scoped to one application and environment.
 *
 * Beanstalk performs a deployment with the caller's credentials (the CodePipeline action role): it updates the
 * environment's CloudFormation stack, which then changes the Auto Scaling group, instances, load balancer and
 * alarms with those same credentials. aws-cdk-lib's ElasticBeanstalkDeployAction attaches
 * AdministratorAccess-AWSElasticBeanstalk, and the CodePipeline User Guide's minimum for the action is service
 * wildcards (elasticbeanstalk:*, ec2:*, autoscaling:*, elasticloadbalancing:*, cloudformation:*, s3:* … on *).
 * This grants the actions of the deployment policy the environment uses, modelled on AWS's own scoped policy
 * for Beanstalk's managed platform updates (AWSElasticBeanstalkManagedUpdatesCustomerRolePolicy), which are
 * immutable deployments: resources named awseb-* / eb-* (what Beanstalk names the resources of its
 * environment stacks), in this account and Region.
 */
export class ElasticBeanstalkDeployAction extends codepipeline.Action {
  protected readonly providedActionProperties: codepipeline.ActionProperties;
  private readonly props: ElasticBeanstalkDeployActionProps;

  constructor(props: ElasticBeanstalkDeployActionProps) {
    super();
    this.props = props;
    this.providedActionProperties = {
      ...props,
      category: codepipeline.ActionCategory.DEPLOY,
      provider: 'ElasticBeanstalk',
      artifactBounds: { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 0 },
      inputs: [props.input],
    };
  }

  protected bound(_scope: Construct, _stage: codepipeline.IStage, options: codepipeline.ActionBindOptions): codepipeline.ActionConfig {
    const statements = elasticBeanstalkDeployStatements({
      applicationName: this.props.applicationName,
      environmentName: this.props.environmentName,
      deploymentPolicy: this.props.deploymentPolicy ?? 'AllAtOnce',
      instanceRoleName: this.props.instanceRoleName ?? 'aws-elasticbeanstalk-ec2-role',
    });
    for (const statement of statements) options.role.addToPrincipalPolicy(statement);
    options.bucket.grantRead(options.role);
    acknowledge(
      options.role,
      'Elastic Beanstalk deploys call Describe* APIs of Beanstalk, EC2, Auto Scaling and ELB, which support no resource-level permissions; every mutating action is scoped to the environment resources or by condition.',
      'AwsSolutions-IAM5[Resource::*]',
    );
    const scoped = [...new Set(statements.flatMap((s) => s.resources).filter((r) => r !== '*' && r.includes('*')))];
    acknowledge(
      options.role,
      'Elastic Beanstalk names its environment stacks, Auto Scaling groups, load balancers, target groups and alarms awseb-<environment id>-… (eb-… on newer platforms), application versions by label and platforms by AWS-owned ARNs; launch templates and instances have generated ids. Each wildcard stays inside this account and Region and, where the ARN carries a name, inside those prefixes.',
      ...scoped.map((r) => wildcardResourceFinding(options.role, r)),
    );
    return { configuration: { ApplicationName: this.props.applicationName, EnvironmentName: this.props.environmentName } };
  }
}

export interface ElasticBeanstalkDeployTarget {
  applicationName: string;
  environmentName: string;
  deploymentPolicy: EbDeploymentPolicy;
  instanceRoleName: string;
}

/** How far a deployment policy reaches: each one needs everything the previous needs, and more. */
const REACH: Record<EbDeploymentPolicy, number> = Object.fromEntries(EB_DEPLOYMENT_POLICIES.map((p, i) => [p, i])) as Record<EbDeploymentPolicy, number>;

/**
 * The calls an Elastic Beanstalk code deployment makes with the caller's credentials, by deployment policy:
 * - AllAtOnce: a new application version on every instance in place (Beanstalk, its S3 bucket, the environment stack);
 * - Rolling: batches taken out of the load balancer and put back (ELB register/deregister, ASG processes suspended);
 * - RollingWithAdditionalBatch: an extra batch launched first and terminated last (ASG capacity, EC2 launch and terminate);
 * - Immutable: a temporary Auto Scaling group with its launch template, scaling policies and alarms, merged and deleted;
 * - TrafficSplitting: like Immutable, plus a temporary target group weighted on the load balancer's listener.
 */
export function elasticBeanstalkDeployStatements(target: ElasticBeanstalkDeployTarget): iam.PolicyStatement[] {
  const { applicationName, environmentName, deploymentPolicy, instanceRoleName } = target;
  const reach = REACH[deploymentPolicy];
  const p = Aws.PARTITION;
  const r = Aws.REGION;
  const a = Aws.ACCOUNT_ID;
  const ebBucket = `arn:${p}:s3:::elasticbeanstalk-${r}-${a}`;
  const stacks = [`arn:${p}:cloudformation:${r}:${a}:stack/awseb-*`, `arn:${p}:cloudformation:${r}:${a}:stack/eb-*`];
  const autoScalingGroups = [
    `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/awseb-*`,
    `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/eb-*`,
  ];
  const loadBalancing = [
    `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/awseb-*`,
    `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/eb-*`,
    `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/app/awseb-*/*`,
    `arn:${p}:elasticloadbalancing:${r}:${a}:loadbalancer/app/eb-*/*`,
    `arn:${p}:elasticloadbalancing:${r}:${a}:targetgroup/awseb-*`,
    `arn:${p}:elasticloadbalancing:${r}:${a}:targetgroup/eb-*`,
  ];
  const statements = [
    new iam.PolicyStatement({
      sid: 'DeployApplicationVersion',
      actions: ['elasticbeanstalk:CreateApplicationVersion', 'elasticbeanstalk:UpdateEnvironment'],
      resources: [
        `arn:${p}:elasticbeanstalk:${r}:${a}:application/${applicationName}`,
        `arn:${p}:elasticbeanstalk:${r}:${a}:applicationversion/${applicationName}/*`,
        `arn:${p}:elasticbeanstalk:${r}:${a}:environment/${applicationName}/${environmentName}`,
        // UpdateEnvironment resolves the environment's platform and configuration template.
        `arn:${p}:elasticbeanstalk:${r}::platform/*`,
        `arn:${p}:elasticbeanstalk:${r}::solutionstack/*`,
        `arn:${p}:elasticbeanstalk:${r}:${a}:configurationtemplate/${applicationName}/*`,
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ReadBeanstalkState',
      actions: [
        'elasticbeanstalk:DescribeApplications',
        'elasticbeanstalk:DescribeApplicationVersions',
        'elasticbeanstalk:DescribeEnvironments',
        'elasticbeanstalk:DescribeEnvironmentResources',
        'elasticbeanstalk:DescribeEvents',
        'elasticbeanstalk:CreateStorageLocation',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'BeanstalkStorageBucket',
      actions: ['s3:CreateBucket', 's3:GetBucketLocation', 's3:GetBucketPolicy', 's3:ListBucket', 's3:GetObject', 's3:GetObjectAcl', 's3:PutObject', 's3:PutObjectAcl'],
      resources: [ebBucket, `${ebBucket}/*`],
    }),
    new iam.PolicyStatement({
      sid: 'EnvironmentStack',
      actions: [
        'cloudformation:DescribeStacks',
        'cloudformation:DescribeStackEvents',
        'cloudformation:DescribeStackResource',
        'cloudformation:DescribeStackResources',
        'cloudformation:ListStackResources',
        'cloudformation:GetTemplate',
        'cloudformation:UpdateStack',
        'cloudformation:CancelUpdateStack',
        'cloudformation:ContinueUpdateRollback',
      ],
      resources: stacks,
    }),
    new iam.PolicyStatement({
      sid: 'EnvironmentScaling',
      actions: ['autoscaling:SuspendProcesses', 'autoscaling:ResumeProcesses'],
      resources: autoScalingGroups,
    }),
    new iam.PolicyStatement({
      sid: 'DescribeEnvironmentResources',
      actions: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeLoadBalancers',
        'autoscaling:DescribeNotificationConfigurations',
        'autoscaling:DescribeScalingActivities',
        'autoscaling:DescribeScheduledActions',
        'cloudwatch:DescribeAlarms',
        'ec2:DescribeAccountAttributes',
        'ec2:DescribeAddresses',
        'ec2:DescribeAvailabilityZones',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceAttribute',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeKeyPairs',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'elasticloadbalancing:DescribeInstanceHealth',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      resources: ['*'],
    }),
  ];

  if (reach >= REACH.Rolling) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'RollingBatchesOutOfTheLoadBalancer',
        actions: [
          'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
          'elasticloadbalancing:RegisterInstancesWithLoadBalancer',
          'elasticloadbalancing:DeregisterTargets',
          'elasticloadbalancing:RegisterTargets',
        ],
        resources: loadBalancing,
      }),
    );
  }

  if (reach >= REACH.RollingWithAdditionalBatch) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'AdditionalBatchCapacity',
        actions: [
          'autoscaling:UpdateAutoScalingGroup',
          'autoscaling:SetDesiredCapacity',
          'autoscaling:TerminateInstanceInAutoScalingGroup',
          'autoscaling:AttachInstances',
          'autoscaling:DetachInstances',
        ],
        resources: autoScalingGroups,
      }),
      // As AWS's managed-updates policy: instances only from a launch template (Beanstalk's environments use them).
      new iam.PolicyStatement({
        sid: 'LaunchFromLaunchTemplate',
        actions: ['ec2:RunInstances'],
        resources: [`arn:${p}:ec2:${r}:${a}:*`, `arn:${p}:ec2:${r}::image/*`],
        conditions: { ArnLike: { 'ec2:LaunchTemplate': `arn:${p}:ec2:${r}:${a}:launch-template/*` } },
      }),
      new iam.PolicyStatement({
        sid: 'TagOnLaunch',
        actions: ['ec2:CreateTags'],
        resources: [`arn:${p}:ec2:${r}:${a}:*`],
        conditions: { StringEquals: { 'ec2:CreateAction': ['RunInstances', 'CreateLaunchTemplate', 'CreateLaunchTemplateVersion'] } },
      }),
      new iam.PolicyStatement({
        sid: 'TerminateEnvironmentInstances',
        actions: ['ec2:TerminateInstances'],
        resources: [`arn:${p}:ec2:${r}:${a}:instance/*`],
        conditions: { StringLike: { 'ec2:ResourceTag/aws:cloudformation:stack-id': stacks } },
      }),
      new iam.PolicyStatement({
        sid: 'PassInstanceRole',
        actions: ['iam:PassRole'],
        resources: [`arn:${p}:iam::${a}:role/${instanceRoleName}`],
        conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
      }),
    );
  }

  if (reach >= REACH.Immutable) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'TemporaryAutoScalingGroup',
        actions: [
          'autoscaling:CreateAutoScalingGroup',
          'autoscaling:DeleteAutoScalingGroup',
          'autoscaling:CreateOrUpdateTags',
          'autoscaling:PutScalingPolicy',
          'autoscaling:DeletePolicy',
          'autoscaling:PutNotificationConfiguration',
          'autoscaling:PutScheduledUpdateGroupAction',
          'autoscaling:DeleteScheduledAction',
        ],
        resources: autoScalingGroups,
      }),
      new iam.PolicyStatement({
        sid: 'TemporaryLaunchTemplate',
        actions: ['ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion', 'ec2:DeleteLaunchTemplate', 'ec2:DeleteLaunchTemplateVersions'],
        resources: [`arn:${p}:ec2:${r}:${a}:launch-template/*`],
      }),
      new iam.PolicyStatement({
        sid: 'TemporaryScalingAlarms',
        actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
        resources: [`arn:${p}:cloudwatch:${r}:${a}:alarm:awseb-*`, `arn:${p}:cloudwatch:${r}:${a}:alarm:eb-*`],
      }),
    );
  }

  if (reach >= REACH.TrafficSplitting) {
    const listeners = [
      `arn:${p}:elasticloadbalancing:${r}:${a}:listener/app/awseb-*/*`,
      `arn:${p}:elasticloadbalancing:${r}:${a}:listener/app/eb-*/*`,
      `arn:${p}:elasticloadbalancing:${r}:${a}:listener-rule/app/awseb-*/*`,
      `arn:${p}:elasticloadbalancing:${r}:${a}:listener-rule/app/eb-*/*`,
    ];
    statements.push(
      new iam.PolicyStatement({
        sid: 'CanaryTargetGroup',
        actions: [
          'elasticloadbalancing:CreateTargetGroup',
          'elasticloadbalancing:DeleteTargetGroup',
          'elasticloadbalancing:ModifyTargetGroup',
          'elasticloadbalancing:ModifyTargetGroupAttributes',
          'elasticloadbalancing:AddTags',
        ],
        resources: [`arn:${p}:elasticloadbalancing:${r}:${a}:targetgroup/awseb-*`, `arn:${p}:elasticloadbalancing:${r}:${a}:targetgroup/eb-*`],
      }),
      new iam.PolicyStatement({
        sid: 'WeightedListener',
        actions: ['elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'],
        resources: listeners,
      }),
    );
  }
  return statements;
}
