import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@devsecops/test-support';

/** The CLI as users run it (`npm run --silent findings -- …`): a real process, so module loading is tested too. */
function findings(...args: string[]) {
  return spawnSync(join(workspaceRoot, 'node_modules/.bin/tsx'), ['--tsconfig', join(workspaceRoot, 'tsconfig.base.json'), join(__dirname, 'main.ts'), ...args], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
}

describe('findings (process)', () => {
  it('converts several SonarQube pages as one scan, JSON on stdout only', () => {
    // Act
    const run = findings('convert', 'samples/patient-portal/sonarqube-issues.json', 'samples/patient-portal/sonarqube-hotspots.json');
    // Assert
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(4);
    expect(run.stderr).toMatch(/^sonarqube: 4 finding\(s\), 3 active/);
  });

  it('exits 2 with one line naming the file for a missing report', () => {
    // Act
    const run = findings('gate', 'no/such/report.json', '--fail-on', 'HIGH');
    // Assert
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('findings: no/such/report.json: cannot be read: no such file\n');
  });
});
