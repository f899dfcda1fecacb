import { Stack } from 'aws-cdk-lib';
import { EB_DEPLOYMENT_POLICIES, type EbDeploymentPolicy } from '../config';
import { asArray, exampleConfig, policyStatements, synthesize } from '../testing/synth';
import { elasticBeanstalkDeployStatements } from './elastic-beanstalk-deploy-action';

/**
 * What each Elastic Beanstalk deployment policy does with the deploy action's credentials (Beanstalk docs,
 * "Deployment policies and settings"), and therefore what the role must be allowed.
 */
interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statementsFor(deploymentPolicy: EbDeploymentPolicy): Statement[] {
  const stack = new Stack();
  return elasticBeanstalkDeployStatements({ applicationName: 'shop', environmentName: 'shop-production', deploymentPolicy, instanceRoleName: 'shop-eb-instance' }).map(
    (s) => stack.resolve(s.toStatementJson()) as Statement,
  );
}

const actionsOf = (statements: Statement[]) => new Set(statements.flatMap((s) => asArray(s.Action)));

/** Calls that a deployment under each policy makes, beyond the previous policy's. */
const NEEDS: Record<EbDeploymentPolicy, string[]> = {
  // A new version on every instance in place: Beanstalk, its bucket, the environment stack.
  AllAtOnce: ['elasticbeanstalk:CreateApplicationVersion', 'elasticbeanstalk:UpdateEnvironment', 's3:PutObject', 'cloudformation:UpdateStack', 'autoscaling:SuspendProcesses'],
  // Batches leave and rejoin the load balancer.
  Rolling: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterInstancesFromLoadBalancer'],
  // An extra batch is launched first and terminated last.
  RollingWithAdditionalBatch: ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:SetDesiredCapacity', 'ec2:RunInstances', 'ec2:TerminateInstances', 'iam:PassRole'],
  // A temporary Auto Scaling group (launch template, scaling policies, alarms), merged and deleted.
  Immutable: ['autoscaling:CreateAutoScalingGroup', 'autoscaling:DeleteAutoScalingGroup', 'ec2:CreateLaunchTemplate', 'cloudwatch:PutMetricAlarm'],
  // Plus a temporary target group weighted on the listener.
  TrafficSplitting: ['elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyRule'],
};

describe.each(EB_DEPLOYMENT_POLICIES.map((p, i) => [p, i] as const))('Elastic Beanstalk deploy role, DeploymentPolicy %s', (policy, index) => {
  const statements = statementsFor(policy);
  const actions = actionsOf(statements);

  it('may make every call this policy and the simpler ones make', () => {
    const needed = EB_DEPLOYMENT_POLICIES.slice(0, index + 1).flatMap((p) => NEEDS[p]);

    expect(needed.filter((a) => !actions.has(a))).toEqual([]);
  });

  it('may not make the calls only more far-reaching policies make', () => {
    const beyond = EB_DEPLOYMENT_POLICIES.slice(index + 1).flatMap((p) => NEEDS[p]);

    expect(beyond.filter((a) => actions.has(a))).toEqual([]);
  });

  it('has no service wildcard, and every mutating call is scoped to a resource or a condition', () => {
    for (const statement of statements) {
      for (const action of asArray(statement.Action)) expect(action).not.toMatch(/(^\*|:\*)$/);
      const resources = asArray(statement.Resource as string | string[]);
      if (resources.includes('*')) {
        expect({ sid: statement.Sid, readOnly: asArray(statement.Action).every((a) => /:(Describe|List|Get)/.test(a) || a === 'elasticbeanstalk:CreateStorageLocation') }).toEqual({ sid: statement.Sid, readOnly: true });
      }
    }
  });
});

describe('Elastic Beanstalk deploy role scoping', () => {
  const statements = statementsFor('TrafficSplitting');
  const bySid = (sid: string) => statements.find((s) => s.Sid === sid)!;

  it('passes only the environment instance role, and only to EC2', () => {
    expect(bySid('PassInstanceRole')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/shop-eb-instance']] },
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    });
  });

  it('launches only from launch templates and terminates only instances of Beanstalk environment stacks', () => {
    expect(bySid('LaunchFromLaunchTemplate').Condition).toHaveProperty(['ArnLike', 'ec2:LaunchTemplate']);
    expect(JSON.stringify(bySid('TerminateEnvironmentInstances').Condition)).toContain('ec2:ResourceTag/aws:cloudformation:stack-id');
    expect(JSON.stringify(bySid('TerminateEnvironmentInstances').Condition)).toContain(':stack/awseb-*');
  });

  it("changes Auto Scaling groups, load balancers, listeners and alarms named like Beanstalk's only", () => {
    for (const sid of ['EnvironmentScaling', 'AdditionalBatchCapacity', 'TemporaryAutoScalingGroup', 'RollingBatchesOutOfTheLoadBalancer', 'CanaryTargetGroup', 'WeightedListener', 'TemporaryScalingAlarms', 'EnvironmentStack']) {
      for (const resource of asArray(bySid(sid).Resource as unknown[])) expect({ sid, resource: JSON.stringify(resource) }).toEqual({ sid, resource: expect.stringMatching(/(awseb|eb)-\*/) });
    }
  });
});

describe('Elastic Beanstalk deploy actions in the pipeline follow each environment', () => {
  it('staging Rolling, production Immutable: each action role gets its own policy', () => {
    const config = exampleConfig();
    const synthesized = synthesize(
      {
        ...config,
        applications: config.applications.map((app) => ({
          ...app,
          staging: { ...app.staging, deploymentPolicy: 'Rolling' as const },
          production: { ...app.production, deploymentPolicy: 'Immutable' as const, instanceRoleName: 'prod-instance' },
        })),
      },
      { functions: [] },
    );
    const statements = policyStatements(synthesized.template('Pipeline').toJSON());
    const actionsOfRole = (pattern: RegExp) => new Set(statements.filter((s) => pattern.test(s.resource)).flatMap((s) => asArray(s.statement.Action as string | string[])));
    const staging = actionsOfRole(/DeployStaging.*Role/);
    const production = actionsOfRole(/DeployProduction.*Role/);

    expect(staging.has('elasticloadbalancing:RegisterTargets')).toBe(true);
    expect(staging.has('autoscaling:CreateAutoScalingGroup')).toBe(false);
    expect(production.has('autoscaling:CreateAutoScalingGroup')).toBe(true);
    expect(JSON.stringify(statements.filter((s) => /DeployProduction/.test(s.resource)))).toContain('role/prod-instance');
  });
});
