import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig, repositoryIdentity, scannerSecrets } from './config';
import { alternativeConfig, exampleConfig } from './testing/synth';

function minimal(): Record<string, unknown> {
  return {
    source: { type: 'codecommit', repositoryName: 'app', branch: 'develop' },
    sca: { nvdApiKey: { parameter: '/x/nvd' } },
    sast: { tool: 'phpstan' },
    staging: { applicationName: 'app', environmentName: 'app-staging', url: 'https://staging.example.com' },
    dast: { mode: 'in-build' },
    production: { applicationName: 'app', environmentName: 'app-prod' },
  };
}

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills every default from a minimal configuration', () => {
    // Act
    const config = parseConfig(minimal());
    const app = config.applications[0]!;

    // Assert
    expect(config.name).toBe('devsecops');
    expect(config.applications).toHaveLength(1);
    expect(app.name).toBe('devsecops');
    expect(app.source).toEqual({ type: 'codecommit', repositoryName: 'app', create: false, branch: 'develop' });
    expect(app.sca).toMatchObject({ dependencyCheckVersion: '12.1.0', scanPaths: ['.'], failOn: 'HIGH' });
    expect(app.sast).toEqual([expect.objectContaining({ tool: 'phpstan', level: 5, paths: ['src'], phpVersion: '8.3' })]);
    expect(app.approval).toEqual({ emails: [], timeoutMinutes: 10080 });
    expect(app.dast).toMatchObject({ mode: 'in-build', scan: 'baseline', image: 'ghcr.io/zaproxy/zaproxy:stable', timeoutMinutes: 60 });
    expect(config.cloudTrail).toEqual({ mode: 'create', cloudWatchLogs: true, retentionDays: 365 });
    expect(config.awsConfig.createRecorder).toBe(false);
    expect(config.securityHub.enable).toBe(false);
    expect(config.lambda).toMatchObject({ logRetentionDays: 90, tracing: true, gateFailOn: 'HIGH' });
    expect(config.lambda.reservedConcurrency).toBeUndefined();
    expect(config.notifications.states).toEqual(['FAILED', 'SUCCEEDED', 'CANCELED', 'STOPPED', 'SUPERSEDED']);
  });

  it('takes the branch only from configuration', () => {
    const raw = minimal();
    delete (raw.source as Record<string, unknown>).branch;

    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^source\.branch: /)]);
  });

  it.each([
    ['refs/heads/main', 'no refs/ prefix'],
    ['feature *', 'no spaces'],
  ])('rejects the branch %s', (branch) => {
    const raw = minimal();
    (raw.source as Record<string, unknown>).branch = branch;

    expect(problemsOf(raw)[0]).toMatch(/^source\.branch: a branch name/);
  });

  it('normalises gate thresholds and rejects unknown ones', () => {
    const raw = minimal();
    (raw.sca as Record<string, unknown>).failOn = 'critical';
    expect(parseConfig(raw).applications[0]!.sca.failOn).toBe('CRITICAL');

    (raw.sca as Record<string, unknown>).failOn = 'SEVERE';
    expect(problemsOf(raw)[0]).toMatch(/^sca\.failOn: /);
  });

  it('refuses a scanner token given as a value instead of a reference', () => {
    const raw = minimal();
    raw.sast = { tool: 'sonarqube', serverUrl: 'https://sonar.example.com', projectKey: 'app', token: 'squ_0123456789abcdef' };

    expect(problemsOf(raw)).toEqual([expect.stringMatching(/^sast\.token: /)]);
  });

  it('accepts Parameter Store and Secrets Manager references, not ARNs', () => {
    const raw = minimal();
    (raw.sca as Record<string, unknown>).nvdApiKey = { secret: 'team/nvd', jsonKey: 'key' };
    expect(parseConfig(raw).applications[0]!.sca.nvdApiKey).toEqual({ secret: 'team/nvd', jsonKey: 'key' });

    (raw.sca as Record<string, unknown>).nvdApiKey = { parameter: 'arn:aws:ssm:us-east-1:111122223333:parameter/nvd' };
    expect(problemsOf(raw)[0]).toMatch(/^sca\.nvdApiKey/);
  });

  it('reports every problem with its path', () => {
    const problems = problemsOf({ name: 'Bad Name', source: { type: 'svn' } });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        expect.stringMatching(/^source\.type: /),
        expect.stringMatching(/^sca: /),
        expect.stringMatching(/^sast: /),
        expect.stringMatching(/^staging: /),
        expect.stringMatching(/^dast: /),
        expect.stringMatching(/^production: /),
      ]),
    );
  });

  it('rejects unknown keys, so a typo does not silently fall back to a default', () => {
    const raw = { ...minimal(), securityhub: { enable: true } };

    expect(problemsOf(raw)[0]).toMatch(/securityhub/);
  });

  it('validates a CodeStar/CodeConnections connection source', () => {
    const raw = minimal();
    raw.source = { type: 'connection', connectionArn: 'not-an-arn', provider: 'GitLab', repository: 'group/sub/app', branch: 'main' };
    expect(problemsOf(raw)[0]).toMatch(/^source\.connectionArn: /);

    (raw.source as Record<string, unknown>).connectionArn = 'arn:aws-us-gov:codestar-connections:us-gov-west-1:111122223333:connection/abc-123';
    expect(repositoryIdentity(parseConfig(raw).applications[0]!.source)).toBe('group/sub/app');
  });
});

describe('loadConfigFile', () => {
  it('loads the shipped example', () => {
    const config = exampleConfig();

    expect(config.applications[0]!.source).toMatchObject({ type: 'codecommit', create: true, branch: 'main' });
    expect(config.applications[0]!.sast.map((s) => s.tool)).toEqual(['sonarqube']);
  });

  it('names the file when it is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infra-config-'));
    writeFileSync(join(dir, 'broken.json'), '{ "name": ');

    expect(() => loadConfigFile('missing.json', dir)).toThrow(/missing\.json: invalid configuration\n {2}- cannot be read: ENOENT/);
    expect(() => loadConfigFile('broken.json', dir)).toThrow(/broken\.json: invalid configuration\n {2}- is not JSON/);
  });
});

describe('loadConfigFile with several base directories', () => {
  it('reads the first base directory that has the file, and names every place it looked when none has', () => {
    const first = mkdtempSync(join(tmpdir(), 'infra-config-a-'));
    const second = mkdtempSync(join(tmpdir(), 'infra-config-b-'));
    writeFileSync(join(second, 'mine.json'), JSON.stringify(minimal()));

    expect(loadConfigFile('mine.json', [first, second]).applications[0]!.source).toMatchObject({ repositoryName: 'app' });
    try {
      loadConfigFile('absent.json', [first, second]);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).report()).toBe(
        `invalid configuration: ${join(first, 'absent.json')}: cannot be read: ENOENT (also looked for ${join(second, 'absent.json')})`,
      );
    }
  });

  it('reports each problem on its own line naming the file', () => {
    const error = new ConfigError('/x/mine.json', ['staging.url: Invalid URL', 'name: too long']);

    expect(error.report().split('\n')).toEqual(['invalid configuration: /x/mine.json: staging.url: Invalid URL', 'invalid configuration: /x/mine.json: name: too long']);
  });
});

describe('Elastic Beanstalk targets', () => {
  it("default to Beanstalk's API default deployment policy and its default instance role", () => {
    const config = parseConfig(minimal());

    expect(config.applications[0]!.staging).toMatchObject({ deploymentPolicy: 'AllAtOnce', instanceRoleName: 'aws-elasticbeanstalk-ec2-role' });
    expect(config.applications[0]!.production).toMatchObject({ deploymentPolicy: 'AllAtOnce', instanceRoleName: 'aws-elasticbeanstalk-ec2-role' });
  });

  it('accept the five deployment policies and refuse anything else, naming the field', () => {
    for (const deploymentPolicy of ['AllAtOnce', 'Rolling', 'RollingWithAdditionalBatch', 'Immutable', 'TrafficSplitting']) {
      expect(parseConfig({ ...minimal(), production: { applicationName: 'app', environmentName: 'app-prod', deploymentPolicy } }).applications[0]!.production.deploymentPolicy).toBe(deploymentPolicy);
    }
    const problems = problemsOf({ ...minimal(), production: { applicationName: 'app', environmentName: 'app-prod', deploymentPolicy: 'BlueGreen', instanceRoleName: 'arn:aws:iam::1:role/x' } });

    expect(problems).toEqual([expect.stringMatching(/^production\.deploymentPolicy: /), expect.stringMatching(/^production\.instanceRoleName: an IAM role name/)]);
  });
});

describe('scannerSecrets', () => {
  it('lists the NVD key, the SonarQube token and the ZAP API key that the configuration references', () => {
    expect(scannerSecrets(exampleConfig().applications[0]!)).toEqual([{ parameter: '/devsecops/nvd/api-key' }, { parameter: '/devsecops/sonarqube/token' }]);
    expect(scannerSecrets(alternativeConfig().applications[0]!)).toEqual([{ secret: 'shop/nvd', jsonKey: 'apiKey' }, { parameter: '/shop/zap/api-key' }]);
  });
});
