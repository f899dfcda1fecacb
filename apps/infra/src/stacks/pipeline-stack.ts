import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Aws, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { dastBuild, FINDINGS_REPORT_GROUP, sastBuild, scaBuild, type ScanBuild } from '../buildspecs';
import { repositoryIdentity, scannerSecrets, type ApplicationConfig, type PipelineConfig, type SecretRef, type VpcConfig } from '../config';
import { ElasticBeanstalkDeployAction } from '../constructs/elastic-beanstalk-deploy-action';
import { acknowledgeNoReplication, createKey, createLogGroup, createSecureBucket } from '../constructs/storage';
import { pipelineStatePattern, scannerParameterPattern } from '../event-patterns';
import { importRoleArnOf } from '../function-wiring';
import { APPROVAL_PIPELINE_ATTRIBUTE } from '../lambda-contracts';
import { FUNCTION_SPECS, functionArnParameterName, type ParserFunctionName } from '../functions';
import { ACTIONS, SOURCE_VARIABLES_NAMESPACE, STAGES, applicationNaming, scanProjectName, scanSlots, type ApplicationNaming, type ScanKind, type ScanSlot } from '../names';
import { acknowledge, acknowledgeControl, acknowledgeGeneratedGrants, acknowledgeInlinePolicies, wildcardResourceFinding } from '../nag';
import { importFoundation, type FoundationRefs } from '../shared-parameters';

export interface PipelineStackProps extends StackProps {
  /** The installation: its name, Lambda settings and notifications (shared by every application). */
  config: PipelineConfig;
  /** The application this pipeline builds, scans and deploys. */
  application: ApplicationConfig;
  /** Workspace dist/ directory; the DAST build in zap-server mode downloads dist/apps/findings-cli from an asset. */
  distRoot: string;
}

const PARSER_OF: Record<ScanKind, ParserFunctionName> = { sca: 'sca-parser', sast: 'sast-parser', dast: 'dast-parser' };

/** One scan of the application: where it sits in the pipeline, its build, and what only the application knows. */
interface PlannedScan {
  slot: ScanSlot;
  build: ScanBuild;
  category?: string;
  buildImage?: string;
  /** The VPC the scan's project runs in (a private SonarQube, ZAP daemon or staging site). */
  vpc?: VpcConfig;
}

/** The scans of one application, in pipeline order: SCA, each SAST tool, DAST. */
function planScans(app: ApplicationConfig): PlannedScan[] {
  return scanSlots(app).map((slot): PlannedScan => {
    if (slot.kind === 'sca') return { slot, build: scaBuild(app.sca), ...(app.sca.category ? { category: app.sca.category } : {}), ...(app.sca.buildImage ? { buildImage: app.sca.buildImage } : {}), ...(app.sca.vpc ? { vpc: app.sca.vpc } : {}) };
    if (slot.kind === 'sast') {
      const sast = app.sast[slot.index!]!;
      return { slot, build: sastBuild(sast), ...(sast.category ? { category: sast.category } : {}), ...(sast.buildImage ? { buildImage: sast.buildImage } : {}), ...(sast.vpc ? { vpc: sast.vpc } : {}) };
    }
    return { slot, build: dastBuild(app.dast, app.staging.url), ...(app.dast.vpc ? { vpc: app.dast.vpc } : {}) };
  });
}

/** `sast-semgrep` → `SastSemgrep`: the construct ids of a scan's project and log group. */
function constructPrefix(id: string): string {
  return id
    .split('-')
    .map((part) => `${part[0]!.toUpperCase()}${part.slice(1)}`)
    .join('');
}

/** Secret references become CodeBuild environment variables that CodeBuild resolves at build time. */
export function secretVariable(ref: SecretRef): codebuild.BuildEnvironmentVariable {
  if ('parameter' in ref) return { type: codebuild.BuildEnvironmentVariableType.PARAMETER_STORE, value: ref.parameter };
  return { type: codebuild.BuildEnvironmentVariableType.SECRETS_MANAGER, value: ref.jsonKey ? `${ref.secret}:${ref.jsonKey}` : ref.secret };
}

function buildImage(override: string | undefined): codebuild.IBuildImage {
  if (!override) return codebuild.LinuxBuildImage.STANDARD_7_0;
  return override.startsWith('aws/codebuild/') ? codebuild.LinuxBuildImage.fromCodeBuildImageId(override) : codebuild.LinuxBuildImage.fromDockerRegistry(override);
}

/**
 * One application's pipeline: Source → Scan (SCA ∥ each SAST tool) → Deploy-Staging → DAST → Approval → Deploy-Production.
 * Parser functions are found through the SSM parameters their own stacks publish, so a function can be
 * redeployed without touching this stack. Everything here is this application's own: adding an application adds
 * a stack like this one and changes no other.
 */
export class PipelineStack extends Stack {
  readonly pipeline: codepipeline.Pipeline;
  /** The scan projects by scan id: `sca`, `sast` (or `sast-<category or tool>` each), `dast`. */
  readonly projects: Record<string, codebuild.PipelineProject>;
  readonly artifactsKey: kms.Key;
  readonly artifactsBucket: s3.Bucket;
  readonly naming: ApplicationNaming;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { config, application: app } = props;
    const foundation = importFoundation(this, config.name);
    this.naming = applicationNaming(config.name, app.name);

    this.artifactsKey = createKey(this, 'ArtifactsKey', `${config.name}: pipeline artifacts, build cache and build output`);
    this.artifactsBucket = createSecureBucket(this, 'ArtifactsBucket', {
      encryptionKey: this.artifactsKey,
      accessLogs: { bucket: foundation.accessLogsBucket, prefix: 'artifacts-bucket/' },
      lifecycleRules: [
        { id: 'expire-build-cache', prefix: 'build-cache/', expiration: Duration.days(30) },
        { id: 'expire-artifacts', expiration: Duration.days(180) },
      ],
    });
    acknowledgeNoReplication(this.artifactsBucket);

    const sourceOutput = new codepipeline.Artifact('Source');
    const source = this.sourceAction(config, app, sourceOutput);
    const commit = { SCAN_COMMIT: { value: source.commitId } };

    const scans = planScans(app);
    this.projects = Object.fromEntries(scans.map((scan) => [scan.slot.id, this.scanProject(scan, config, app, foundation, props.distRoot)]));
    const scanAction = (scan: PlannedScan, runOrder?: number) =>
      new actions.CodeBuildAction({
        actionName: scan.slot.actionName,
        project: this.projects[scan.slot.id]!,
        input: sourceOutput,
        type: actions.CodeBuildActionType.TEST,
        environmentVariables: commit,
        ...(runOrder ? { runOrder } : {}),
      });

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: this.naming.pipelineName,
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: this.artifactsBucket,
      restartExecutionOnUpdate: false,
      stages: [
        { stageName: STAGES.source, actions: [source.action] },
        {
          stageName: STAGES.scan,
          // Same runOrder: SCA and every SAST tool run in parallel.
          actions: scans.filter((scan) => scan.slot.kind !== 'dast').map((scan) => scanAction(scan, 1)),
        },
        {
          stageName: STAGES.deployStaging,
          actions: [new ElasticBeanstalkDeployAction({ actionName: ACTIONS.deployStaging, input: sourceOutput, ...app.staging })],
        },
        {
          stageName: STAGES.dast,
          actions: scans.filter((scan) => scan.slot.kind === 'dast').map((scan) => scanAction(scan)),
        },
        {
          stageName: STAGES.approval,
          actions: [
            new actions.ManualApprovalAction({
              actionName: ACTIONS.approval,
              role: this.approvalActionRole(foundation),
              notificationTopic: foundation.approvalTopic,
              additionalInformation: `Staging passed SCA, SAST and DAST gates. Review the findings summary mailed to approvers, then approve the release of ${repositoryIdentity(app.source)}@${app.source.branch} to production.`,
              externalEntityLink: app.staging.url,
              timeout: Duration.minutes(app.approval.timeoutMinutes),
            }),
          ],
        },
        {
          stageName: STAGES.deployProduction,
          actions: [
            new ElasticBeanstalkDeployAction({
              actionName: ACTIONS.deployProduction,
              input: sourceOutput,
              ...app.production,
            }),
          ],
        },
      ],
    });

    const statePattern = pipelineStatePattern(this.pipeline.pipelineArn, config.notifications.states);
    new events.Rule(this, 'PipelineStateRule', {
      description: `State changes of ${this.naming.pipelineName} only`,
      eventPattern: { source: statePattern.source, detailType: statePattern['detail-type'], resources: statePattern.resources, detail: statePattern.detail },
      // The topic's policy and key policy (Foundation stack) let EventBridge publish; nothing here edits them.
      targets: [{ bind: () => ({ arn: foundation.notificationsTopic.topicArn }) }],
    });

    this.subscribeApprovers(app, foundation);
    this.watchScannerSecrets(config, app);

    this.acknowledgeCdkGrants();
    acknowledgeInlinePolicies(this);
  }

  /**
   * This application's approvers get only this pipeline's approval mails: the notifier publishes each mail with the
   * pipeline name as a message attribute, and their subscriptions filter on it. (The installation's approvers,
   * subscribed by the Foundation stack, get every mail.)
   */
  private subscribeApprovers(app: ApplicationConfig, foundation: FoundationRefs): void {
    app.approval.emails.forEach((endpoint, i) => {
      new sns.Subscription(this, `Approver${i}`, {
        topic: foundation.approversTopic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint,
        filterPolicy: { [APPROVAL_PIPELINE_ATTRIBUTE]: sns.SubscriptionFilter.stringFilter({ allowlist: [this.naming.pipelineName] }) },
      });
    });
  }

  /**
   * Changes to this application's scanner-token parameters reach the shared cloudtrail-alerter through a rule of
   * this stack, so an application's secrets never change the alerter's stack.
   */
  private watchScannerSecrets(config: PipelineConfig, app: ApplicationConfig): void {
    const names = scannerSecrets(app).flatMap((ref) => ('parameter' in ref ? [ref.parameter] : []));
    if (names.length === 0) return;
    const pattern = scannerParameterPattern(
      names,
      names.map((name) => `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter/${name.replace(/^\//, '')}`),
    );
    const alerterArn = ssm.StringParameter.valueForStringParameter(this, functionArnParameterName(config.name, 'cloudtrail-alerter'));
    const rule = new events.Rule(this, 'ScannerSecretsRule', {
      description: `CloudTrail API calls that change the scanner tokens of ${this.naming.pipelineName}`,
      eventPattern: { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail },
      targets: [{ bind: () => ({ arn: alerterArn }) }],
    });
    new lambda.CfnPermission(this, 'ScannerSecretsRuleInvokesAlerter', {
      action: 'lambda:InvokeFunction',
      functionName: alerterArn,
      principal: 'events.amazonaws.com',
      sourceArn: rule.ruleArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
  }

  /** Publishes the approval request to the KMS-encrypted approval topic (sns:Publish is granted by the action). */
  private approvalActionRole(foundation: FoundationRefs): iam.Role {
    const role = new iam.Role(this, 'ApprovalActionRole', { assumedBy: new iam.AccountRootPrincipal(), description: 'Manual approval action: notify the approval topic' });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'EncryptApprovalRequest', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [foundation.values.notificationsKeyArn] }));
    return role;
  }

  private sourceAction(config: PipelineConfig, app: ApplicationConfig, output: codepipeline.Artifact): { action: codepipeline.IAction; commitId: string } {
    const { source } = app;
    if (source.type === 'codecommit') {
      const repository = source.create
        ? this.createRepository(source.repositoryName, app.name === config.name ? config.name : `${config.name} ${app.name}`)
        : codecommit.Repository.fromRepositoryName(this, 'Repository', source.repositoryName);
      const action = new actions.CodeCommitSourceAction({
        actionName: ACTIONS.source,
        repository,
        branch: source.branch,
        output,
        trigger: actions.CodeCommitTrigger.EVENTS,
        variablesNamespace: SOURCE_VARIABLES_NAMESPACE,
      });
      return { action, commitId: action.variables.commitId };
    }
    const slash = source.repository.lastIndexOf('/');
    const action = new actions.CodeStarConnectionsSourceAction({
      actionName: ACTIONS.source,
      connectionArn: source.connectionArn,
      owner: source.repository.slice(0, slash),
      repo: source.repository.slice(slash + 1),
      branch: source.branch,
      output,
      triggerOnPush: true,
      variablesNamespace: SOURCE_VARIABLES_NAMESPACE,
    });
    return { action, commitId: action.variables.commitId };
  }

  /**
   * The application's code and its history outlive the pipeline: deleting this stack leaves the repository in
   * place (RETAIN), and a redeploy with `create: false` picks it up again.
   */
  private createRepository(repositoryName: string, prefix: string): codecommit.Repository {
    const repository = new codecommit.Repository(this, 'Repository', { repositoryName, description: `Application source for ${prefix}` });
    repository.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return repository;
  }

  private scanProject(scan: PlannedScan, config: PipelineConfig, app: ApplicationConfig, foundation: FoundationRefs, distRoot: string): codebuild.PipelineProject {
    const { build } = scan;
    const name = scan.slot.kind;
    const ids = constructPrefix(scan.slot.id);
    const parser = PARSER_OF[name];
    // Resolved by CloudFormation at deploy time from the parameter the function's stack publishes.
    const parserArn = ssm.StringParameter.valueForStringParameter(this, functionArnParameterName(config.name, parser));
    const sizes = { SMALL: codebuild.ComputeType.SMALL, MEDIUM: codebuild.ComputeType.MEDIUM };
    const imageOverride = scan.buildImage;
    const importRoleArn = importRoleArnOf(config, app);
    const vpcConfig = scan.vpc;

    const variables: Record<string, codebuild.BuildEnvironmentVariable> = {
      SCAN_TOOL: { value: build.tool },
      SCAN_REPOSITORY: { value: repositoryIdentity(app.source) },
      SCAN_BRANCH: { value: app.source.branch },
      // The scan identity's category and the workload account's import role go into the parser's event.
      ...(scan.category ? { SCAN_CATEGORY: { value: scan.category } } : {}),
      ...(importRoleArn ? { IMPORT_ROLE_ARN: { value: importRoleArn } } : {}),
      REPORTS_BUCKET: { value: foundation.reportsBucket.bucketName },
      REPORTS_KMS_KEY_ARN: { value: foundation.dataKey.keyArn },
      PARSER_FUNCTION: { value: parserArn },
      INVOKE_READ_TIMEOUT: { value: String(FUNCTION_SPECS[parser].timeoutSeconds + 60) },
      ...Object.fromEntries(Object.entries(build.variables).map(([k, value]) => [k, { value }])),
      ...Object.fromEntries(Object.entries(build.secrets).map(([k, ref]) => [k, secretVariable(ref)])),
    };

    const cliAsset = build.usesFindingsCli ? this.findingsCliAsset(distRoot) : undefined;
    if (cliAsset) {
      variables.FINDINGS_CLI_BUCKET = { value: cliAsset.s3BucketName };
      variables.FINDINGS_CLI_KEY = { value: cliAsset.s3ObjectKey };
    }

    const projectName = scanProjectName(config.name, app.name, scan.slot);
    const project = new codebuild.PipelineProject(this, `${ids}Project`, {
      projectName,
      description: `${name.toUpperCase()} scan (${build.tool}): report to S3, import through ${parser}, gate`,
      buildSpec: codebuild.BuildSpec.fromObjectToYaml(build.buildSpec as unknown as Record<string, unknown>),
      environment: { buildImage: buildImage(imageOverride), computeType: sizes[build.computeSize], privileged: build.privileged },
      environmentVariables: variables,
      ...(vpcConfig ? this.vpcPlacement(ids, vpcConfig) : {}),
      encryptionKey: this.artifactsKey,
      ...(build.cachePaths.length > 0 ? { cache: codebuild.Cache.bucket(this.artifactsBucket, { prefix: `build-cache/${scan.slot.id}` }) } : {}),
      logging: { cloudWatch: { logGroup: createLogGroup(this, `${ids}LogGroup`, foundation.logsKey, config.lambda.logRetentionDays) } },
      timeout: Duration.minutes(build.timeoutMinutes),
      queuedTimeout: Duration.hours(2),
    });

    // The findings as a CodeBuild test report (the buildspec's `findings` group: CodeBuild writes to
    // `<project>-findings`, within CDK's default report-group grant). Created here so that it is managed and goes
    // with the stack; the JUnit and markdown files themselves stay in the reports bucket under outputs/.
    const reportGroup = new codebuild.ReportGroup(this, `${ids}FindingsReportGroup`, {
      reportGroupName: `${projectName}-${FINDINGS_REPORT_GROUP}`,
      type: codebuild.ReportGroupType.TEST,
      removalPolicy: RemovalPolicy.DESTROY,
      deleteReports: true,
    });
    project.node.addDependency(reportGroup);

    const role = project.role!;
    if (vpcConfig) {
      // As the CodeBuild User Guide's VPC policy ("Allow CodeBuild access to AWS services required to create a VPC
      // network interface"): the Describe* calls and Create/DeleteNetworkInterface support no resource-level scope;
      // CreateNetworkInterfacePermission is limited to the configured subnets and to codebuild.amazonaws.com.
      // On the VPC policy CDK writes for the project only, not on the project (whose role is its child).
      const vpcPolicy = project.node.tryFindChild('PolicyDocument');
      if (!vpcPolicy) throw new Error(`${project.node.path}: CDK wrote no VPC policy to acknowledge`);
      acknowledge(vpcPolicy, 'CodeBuild in a VPC: ec2 Describe*, CreateNetworkInterface and DeleteNetworkInterface support no resource-level permissions (CodeBuild User Guide, VPC support policy).', 'AwsSolutions-IAM5[Resource::*]');
      acknowledge(
        role,
        'CodeBuild in a VPC: CreateNetworkInterfacePermission on network interfaces CodeBuild creates, limited by ec2:Subnet to the configured subnets and ec2:AuthorizedService to codebuild.amazonaws.com.',
        wildcardResourceFinding(role, `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:network-interface/*`),
      );
    }
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'UploadReports', actions: ['s3:PutObject'], resources: [foundation.reportsBucket.arnForObjects(`reports/${build.tool}/*`)] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadScanOutputs', actions: ['s3:GetObject'], resources: [foundation.reportsBucket.arnForObjects(`outputs/${build.tool}/*`)] }),
    );
    // Multipart uploads of large reports need Decrypt as well as GenerateDataKey.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'EncryptReports', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [foundation.dataKey.keyArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'InvokeParser', actions: ['lambda:InvokeFunction'], resources: [parserArn] }));
    acknowledge(
      role,
      'Reports are written under reports/<tool>/ only; the rest of the key is the repository, branch, commit and build id of each run.',
      wildcardResourceFinding(role, foundation.reportsBucket.arnForObjects(`reports/${build.tool}/*`)),
    );
    acknowledge(
      role,
      "The parser's JUnit and markdown outputs are read back from outputs/<tool>/ only, beside the build's report (same key segments).",
      wildcardResourceFinding(role, foundation.reportsBucket.arnForObjects(`outputs/${build.tool}/*`)),
    );
    if (cliAsset) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'ReadFindingsCli', actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::${cliAsset.s3BucketName}/${cliAsset.s3ObjectKey}`] }),
      );
    }
    if (app.dast.mode === 'zap-server' && name === 'dast') {
      // findings-cli zap-scan reads the API key itself (SecureString, AWS managed key).
      const parameterArn = `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter/${app.dast.apiKey.parameter.replace(/^\//, '')}`;
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadZapApiKey', actions: ['ssm:GetParameter'], resources: [parameterArn] }));
    }
    if (build.privileged) {
      acknowledge(
        project,
        'Privileged mode is needed only here: DAST in-build mode runs the ZAP container with Docker inside the build. SCA and SAST projects are not privileged.',
        'AwsSolutions-CB3',
      );
      acknowledgeControl(
        project,
        'CT.CODEBUILD.PR.3: privileged mode is needed only here: DAST in-build mode runs the ZAP container with Docker inside the build. SCA and SAST projects are not privileged.',
        'codebuild_project_environment_privileged_check',
      );
    }
    return project;
  }

  /**
   * A scan project inside the configured VPC (private SonarQube, ZAP daemon or staging site). CodeBuild creates its
   * network interfaces in these subnets; CDK grants the EC2 permissions CodeBuild's VPC support documents.
   */
  private vpcPlacement(id: string, vpc: VpcConfig): Pick<codebuild.PipelineProjectProps, 'vpc' | 'subnetSelection' | 'securityGroups'> {
    return {
      vpc: ec2.Vpc.fromVpcAttributes(this, `${id}Vpc`, { vpcId: vpc.vpcId, availabilityZones: vpc.subnetIds.map((_, i) => `${Aws.REGION}-az${i}`) }),
      subnetSelection: {
        subnets: vpc.subnetIds.map((subnetId, i) => {
          const subnet = ec2.Subnet.fromSubnetId(this, `${id}Subnet${i}`, subnetId);
          // CodeBuild only needs the subnet ids; nothing here reads the subnets' route tables.
          Annotations.of(subnet).acknowledgeWarning('@aws-cdk/aws-ec2:noSubnetRouteTableId', 'CodeBuild takes subnet ids only; no route table is read');
          return subnet;
        }),
      },
      securityGroups: vpc.securityGroupIds.map((groupId, i) => ec2.SecurityGroup.fromSecurityGroupId(this, `${id}SecurityGroup${i}`, groupId, { mutable: false })),
    };
  }

  private cliAsset?: s3assets.Asset;

  private findingsCliAsset(distRoot: string): s3assets.Asset {
    if (this.cliAsset) return this.cliAsset;
    const dir = join(distRoot, 'apps', 'findings-cli');
    if (!existsSync(join(dir, 'main.mjs'))) {
      throw new Error(`The SonarQube export and DAST zap-server mode run findings-cli in the build, but ${join(dir, 'main.mjs')} is missing. Build it first: npx nx run findings-cli:build`);
    }
    this.cliAsset = new s3assets.Asset(this, 'FindingsCliAsset', { path: dir, exclude: ['meta.json', '*.map'] });
    return this.cliAsset;
  }

  /** Wildcards that CodePipeline's and CodeBuild's own grant helpers write, acknowledged where they land. */
  private acknowledgeCdkGrants(): void {
    const artifacts = this.artifactsBucket.arnForObjects('*');
    for (const role of this.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role)) {
      acknowledgeGeneratedGrants(
        role,
        [artifacts],
        "Generated by CDK's CodePipeline/CodeBuild integration: read (and for producers write) action groups on this pipeline's own artifact bucket and key only; artifact object keys are generated per execution.",
      );
    }
    for (const project of Object.values(this.projects)) {
      // As CDK formats them: literal Region and account when the stack has an environment, tokens otherwise.
      const { partition: p, region: r, account: a } = Stack.of(this);
      acknowledgeGeneratedGrants(
        project.role!,
        [`arn:${p}:logs:${r}:${a}:log-group:/aws/codebuild/${project.projectName}:*`, `arn:${p}:codebuild:${r}:${a}:report-group/${project.projectName}-*`],
        "CodeBuild's default grant for its own log streams and for test-report groups named after the project; the project logs to its KMS log group.",
      );
      acknowledge(
        project,
        'The project has no repository of its own (source type CODEPIPELINE): the pipeline source action fetches the code through IAM (CodeCommit) or a CodeConnections connection, so no credentials appear in any URL. The rule expects OAuth on GitHub/Bitbucket project sources.',
        'HIPAA.Security-CodeBuildProjectSourceRepoUrl',
      );
    }
  }
}
