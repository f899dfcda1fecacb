import { Aws } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from '../nag';

export interface ElasticBeanstalkDeployActionProps extends codepipeline.CommonAwsActionProps {
  applicationName: string;
  environmentName: string;
  input: codepipeline.Artifact;
}

/**
 * CodePipeline's Elastic Beanstalk deploy, with a policy scoped to one application and environment.
 * aws-cdk-lib's ElasticBeanstalkDeployAction attaches AdministratorAccess-AWSElasticBeanstalk (ec2:*, s3:*,
 * cloudformation:* … on *), and AWS's documented minimum is the same list of service wildcards.
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
    const statements = elasticBeanstalkDeployStatements(this.props.applicationName, this.props.environmentName);
    for (const statement of statements) options.role.addToPrincipalPolicy(statement);
    options.bucket.grantRead(options.role);
    acknowledge(
      options.role,
      'Elastic Beanstalk deploys call Describe* APIs of Beanstalk, EC2, Auto Scaling and ELB, which support no resource-level permissions; every mutating action is scoped below.',
      'AwsSolutions-IAM5[Resource::*]',
    );
    const scoped = statements.flatMap((s) => s.resources).filter((r) => r !== '*' && r.includes('*'));
    acknowledge(
      options.role,
      'Elastic Beanstalk names its environment stacks and Auto Scaling groups awseb-<environment id>, application versions by label and platforms by AWS-owned ARNs; each wildcard stays inside the configured application, its environment resources or the Beanstalk storage bucket of this account and Region.',
      ...scoped.map((r) => wildcardResourceFinding(options.role, r)),
    );
    return { configuration: { ApplicationName: this.props.applicationName, EnvironmentName: this.props.environmentName } };
  }
}

/** The calls an Elastic Beanstalk code deployment makes with the caller's credentials. */
export function elasticBeanstalkDeployStatements(applicationName: string, environmentName: string): iam.PolicyStatement[] {
  const p = Aws.PARTITION;
  const r = Aws.REGION;
  const a = Aws.ACCOUNT_ID;
  const ebBucket = `arn:${p}:s3:::elasticbeanstalk-${r}-${a}`;
  return [
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
        'cloudformation:GetTemplate',
        'cloudformation:UpdateStack',
        'cloudformation:CancelUpdateStack',
      ],
      resources: [`arn:${p}:cloudformation:${r}:${a}:stack/awseb-*`],
    }),
    new iam.PolicyStatement({
      sid: 'EnvironmentScaling',
      actions: ['autoscaling:SuspendProcesses', 'autoscaling:ResumeProcesses'],
      resources: [`arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/awseb-*`],
    }),
    new iam.PolicyStatement({
      sid: 'DescribeEnvironmentResources',
      actions: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'ec2:DescribeAddresses',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeKeyPairs',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'elasticloadbalancing:DescribeInstanceHealth',
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      resources: ['*'],
    }),
  ];
}
