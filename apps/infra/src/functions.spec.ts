import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { retentionFor } from './constructs/storage';
import { cloudTrailAlertPattern, pipelineStatePattern, scannerParameterPattern } from './event-patterns';
import { FUNCTION_NAMES, MissingBundleError, functionArnParameterName, functionStackId, requireBundle, selectFunctions } from './functions';
import { foundationParameterName } from './shared-parameters';

describe('selectFunctions (context "functions")', () => {
  it('selects all by default, none, or a named subset in catalogue order', () => {
    expect(selectFunctions(undefined)).toEqual([...FUNCTION_NAMES]);
    expect(selectFunctions('all')).toEqual([...FUNCTION_NAMES]);
    expect(selectFunctions('none')).toEqual([]);
    expect(selectFunctions(' dast-parser , sca-parser ')).toEqual(['sca-parser', 'dast-parser']);
  });

  it('refuses an unknown function name', () => {
    expect(() => selectFunctions('sca-parser,zap-parser')).toThrow('Unknown function(s) in context "functions": zap-parser');
  });
});

describe('requireBundle', () => {
  it('returns the Nx output directory when main.mjs is there, and names the build command when not', () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    mkdirSync(join(dist, 'apps', 'sca-parser'), { recursive: true });
    writeFileSync(join(dist, 'apps', 'sca-parser', 'main.mjs'), 'export const handler = async () => ({});');

    expect(requireBundle(dist, 'sca-parser')).toBe(join(dist, 'apps', 'sca-parser'));
    expect(() => requireBundle(dist, 'sast-parser')).toThrow(MissingBundleError);
    expect(() => requireBundle(dist, 'sast-parser')).toThrow('npx nx run sast-parser:build');
  });
});

describe('names shared between separately deployed stacks', () => {
  it('derive from the configured prefix', () => {
    expect(functionArnParameterName('shop', 'dast-parser')).toBe('/shop/functions/dast-parser/arn');
    expect(foundationParameterName('shop', 'reportsBucketArn')).toBe('/shop/foundation/reports-bucket-arn');
    expect(functionStackId('auto-remediator')).toBe('Function-auto-remediator');
  });
});

describe('retentionFor', () => {
  it('rounds up to a retention CloudWatch Logs offers, never to infinite', () => {
    expect(retentionFor(90)).toBe(RetentionDays.THREE_MONTHS);
    expect(retentionFor(100)).toBe(RetentionDays.FOUR_MONTHS);
    expect(retentionFor(1)).toBe(RetentionDays.ONE_DAY);
    expect(retentionFor(100_000)).toBe(RetentionDays.TEN_YEARS);
  });
});

describe('event patterns', () => {
  it('pipeline notifications match one pipeline and the configured states', () => {
    expect(pipelineStatePattern('arn:aws:codepipeline:eu-west-1:111122223333:p', ['FAILED'])).toEqual({
      source: ['aws.codepipeline'],
      'detail-type': ['CodePipeline Pipeline Execution State Change', 'CodePipeline Stage Execution State Change'],
      resources: ['arn:aws:codepipeline:eu-west-1:111122223333:p'],
      detail: { state: ['FAILED'] },
    });
  });

  it('the CloudTrail pattern drops Parameter Store entirely when no token is a parameter', () => {
    const pattern = cloudTrailAlertPattern([], []);

    expect(pattern.source).toEqual(['aws.codepipeline', 'aws.codebuild', 'aws.cloudtrail']);
    expect(JSON.stringify(pattern)).not.toContain('ssm.amazonaws.com');
  });

  it("an application's token pattern matches only Parameter Store calls on its parameters, by name or ARN", () => {
    const pattern = scannerParameterPattern(['/app/token'], ['arn:aws:ssm:eu-west-1:111122223333:parameter/app/token']);

    expect(pattern).toEqual({
      source: ['aws.ssm'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        $or: [
          { eventSource: ['ssm.amazonaws.com'], eventName: ['PutParameter', 'DeleteParameter', 'LabelParameterVersion', 'UnlabelParameterVersion'], requestParameters: { name: ['/app/token', 'arn:aws:ssm:eu-west-1:111122223333:parameter/app/token'] } },
          { eventSource: ['ssm.amazonaws.com'], eventName: ['DeleteParameters'], requestParameters: { names: ['/app/token', 'arn:aws:ssm:eu-west-1:111122223333:parameter/app/token'] } },
        ],
      },
    });
  });
});
