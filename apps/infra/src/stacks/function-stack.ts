import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { PipelineConfig } from '../config';
import { createLogGroup } from '../constructs/storage';
import { cloudTrailAlertPattern } from '../event-patterns';
import { FAILED_FINDINGS_METRIC, METRICS_NAMESPACE, autoRemediatorEventPattern } from '../lambda-contracts';
import { WILDCARD_REASONS, functionWiring, remediatorName, type FunctionWiring } from '../function-wiring';
import { PARSER_FUNCTIONS, functionArnParameterName, type FunctionSpec } from '../functions';
import { acknowledge, acknowledgeControl, acknowledgeInlinePolicies, wildcardResourceFinding } from '../nag';
import { importFoundation, type FoundationRefs } from '../shared-parameters';

export interface FunctionStackProps extends StackProps {
  config: PipelineConfig;
  spec: FunctionSpec;
  /** dist/apps/<fn>: the Nx bundle, used as is. */
  codeDirectory: string;
}

/**
 * One Lambda function and everything that is only its own: role, log group, dead-letter queue, alarms,
 * trigger, and the SSM parameter through which the pipeline stack finds it. Deployable alone.
 */
export class FunctionStack extends Stack {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  readonly arnParameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: FunctionStackProps) {
    super(scope, id, props);
    const { config, spec } = props;
    const foundation = importFoundation(this, config.name);

    const logGroup = createLogGroup(this, 'LogGroup', foundation.logsKey, config.lambda.logRetentionDays);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: foundation.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, 'This queue is itself the dead-letter queue of the function and of its trigger; it is watched by an alarm.', 'AwsSolutions-SQS3');
    acknowledgeControl(this.deadLetterQueue, 'CT.SQS.PR.1: this queue is itself the dead-letter queue of the function and of its trigger; it is watched by an alarm.', 'sqs_dlq_check');
    acknowledgeControl(
      this.deadLetterQueue,
      'CT.SQS.PR.2: the queue is encrypted with the Foundation data key; its ARN is an SSM parameter resolved at deploy time, which the guard rule (a literal string) cannot follow.',
      'sqs_queue_encrypted_check',
    );

    const wiring = functionWiring(spec.name, config, foundation.values);

    // An explicit role instead of AWSLambdaBasicExecutionRole: logs go to this function's group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${spec.name}: ${spec.description}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    for (const statement of wiring.statements) this.role.addToPolicy(iam.PolicyStatement.fromJson(statement));
    // Lambda writes failed asynchronous events to the KMS-encrypted dead-letter queue with this role.
    this.role.addToPolicy(
      new iam.PolicyStatement({ sid: 'EncryptDeadLetters', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [foundation.values.dataKeyArn] }),
    );

    this.function = new lambda.Function(this, 'Function', {
      description: spec.description,
      runtime: config.lambda.runtime === 'nodejs22.x' ? lambda.Runtime.NODEJS_22_X : lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'main.handler',
      code: lambda.Code.fromAsset(props.codeDirectory, { exclude: ['meta.json'] }),
      memorySize: spec.memoryMiB,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role: this.role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: config.lambda.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      ...(config.lambda.reservedConcurrency ? { reservedConcurrentExecutions: config.lambda.reservedConcurrency } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: spec.name,
        ...wiring.environment,
      },
    });

    this.alarms(spec, foundation);
    this.trigger(spec, config, foundation);

    this.arnParameter = new ssm.StringParameter(this, 'ArnParameter', {
      parameterName: functionArnParameterName(config.name, spec.name),
      stringValue: this.function.functionArn,
      description: `ARN of the ${spec.name} Lambda function (read by the pipeline stack)`,
    });

    this.acknowledgeFunctionRules(spec, config, wiring.statements);
    acknowledgeInlinePolicies(this);
  }

  private alarms(spec: FunctionSpec, foundation: FoundationRefs): void {
    const action = new cloudwatchActions.SnsAction(foundation.notificationsTopic);
    const period = Duration.minutes(5);
    const definitions: [string, cloudwatch.IMetric, string][] = [
      ['ErrorsAlarm', this.function.metricErrors({ period, statistic: 'Sum' }), 'raised an error'],
      ['ThrottlesAlarm', this.function.metricThrottles({ period, statistic: 'Sum' }), 'was throttled'],
      ['DeadLetterAlarm', this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }), 'has undelivered events in its dead-letter queue'],
    ];
    if ((PARSER_FUNCTIONS as readonly string[]).includes(spec.name)) {
      // Embedded Metric Format from each invocation (libs/scan-ingest metrics.ts), dimension service = the function.
      const failed = new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: FAILED_FINDINGS_METRIC, dimensionsMap: { service: spec.name }, period, statistic: 'Sum' });
      definitions.push(['FailedFindingsAlarm', failed, 'could not import some findings into Security Hub (FindingsFailed > 0)']);
    }
    for (const [id, metric, what] of definitions) {
      const alarm = new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${spec.name} ${what}`,
      });
      alarm.addAlarmAction(action);
    }
  }

  private trigger(spec: FunctionSpec, config: PipelineConfig, foundation: FoundationRefs): void {
    const target = () => new targets.LambdaFunction(this.function, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 4, maxEventAge: Duration.hours(2) });
    switch (spec.trigger) {
      case 'direct-invoke':
        // CodeBuild invokes the parsers synchronously; the build role is granted lambda:InvokeFunction on this ARN.
        return;
      case 'approval-topic':
        foundation.approvalTopic.addSubscription(new snsSubscriptions.LambdaSubscription(this.function));
        return;
      case 'cloudtrail-rule': {
        // Scanner-token parameters are each application's own: its pipeline stack adds a rule for them.
        const pattern = cloudTrailAlertPattern([], []);
        new events.Rule(this, 'ApiCallRule', {
          description: 'CloudTrail API calls that change the pipelines, their builds or the trail',
          eventPattern: { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail },
          targets: [target()],
        });
        return;
      }
      case 'securityhub-rule': {
        const pattern = autoRemediatorEventPattern(remediatorName(config.name), config.remediation.playbooks);
        new events.Rule(this, 'FindingsRule', {
          description: 'New, active, failed Security Hub controls with an enabled playbook, not yet handled by the remediator',
          eventPattern: { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail },
          targets: [target()],
        });
        return;
      }
    }
  }

  private acknowledgeFunctionRules(spec: FunctionSpec, config: PipelineConfig, statements: FunctionWiring['statements']): void {
    if (config.lambda.runtime !== 'nodejs24.x') {
      acknowledge(
        this.function,
        `${config.lambda.runtime} was chosen in the config (lambda.runtime); the bundles target node22, so they run on it and on nodejs24.x alike.`,
        'AwsSolutions-L1',
      );
    }
    acknowledge(
      this.function,
      'The function only calls AWS APIs over TLS with IAM auth; placing it in a VPC would need NAT or six interface endpoints per Region for no data-path benefit.',
      'HIPAA.Security-LambdaInsideVPC',
      'NIST.800.53.R5-LambdaInsideVPC',
    );
    acknowledgeControl(
      this.function,
      'CT.LAMBDA.PR.3: the function only calls AWS APIs over TLS with IAM auth; a VPC would need NAT or six interface endpoints per Region for no data-path benefit.',
      'lambda_inside_vpc_check',
    );
    if (spec.trigger === 'approval-topic') {
      acknowledgeControl(
        this.function,
        "CT.LAMBDA.PR.2: the only resource-based permission is SNS's, limited to the approval topic (SourceArn); the topic ARN is an SSM parameter resolved at deploy time, which the guard rule cannot follow.",
        'lambda_function_public_access_prohibited_check',
      );
    }
    if (!config.lambda.reservedConcurrency) {
      acknowledge(
        this.function,
        'Reserved concurrency is configurable (lambda.reservedConcurrency); it stays unset by default because new accounts cannot reserve any below the 10-execution floor.',
        'HIPAA.Security-LambdaConcurrency',
        'NIST.800.53.R5-LambdaConcurrency',
      );
    }
    for (const statement of statements) {
      const wildcards = statement.Resource.filter((r) => r.includes('*'));
      if (wildcards.length === 0) continue;
      const reason = WILDCARD_REASONS[statement.Sid];
      if (!reason) throw new Error(`${spec.name}: statement ${statement.Sid} uses a wildcard resource without a documented reason`);
      acknowledge(this.role, reason, ...wildcards.map((r) => (r === '*' ? 'AwsSolutions-IAM5[Resource::*]' : wildcardResourceFinding(this.role, r))));
    }
    if (config.lambda.tracing) {
      acknowledge(this.role, 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.', 'AwsSolutions-IAM5[Resource::*]');
    }
  }
}
