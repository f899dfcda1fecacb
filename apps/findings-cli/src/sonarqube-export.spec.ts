import { SonarQubeError, type SonarQubeClient, type SonarQubeClientOptions } from '@devsecops/sonarqube-client';
import type { CliIo } from './cli';
import { runSonarQubeExportCommand, type SonarQubeExportDeps } from './sonarqube-export';

const REPORT_TASK = [
  'projectKey=hospital-portal',
  'serverUrl=https://sonar.example.com',
  'serverVersion=10.6.0.92116',
  'dashboardUrl=https://sonar.example.com/dashboard?id=hospital-portal',
  'ceTaskId=AY1',
  'ceTaskUrl=https://sonar.example.com/api/ce/task?id=AY1',
].join('\n');

function io(env: NodeJS.ProcessEnv = { SONAR_TOKEN: 'squ_secret_token' }) {
  const out = { stdout: '', stderr: '' };
  const cli: CliIo = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), env, readFile: async () => new Uint8Array() };
  return { cli, out };
}

function fakeClient(overrides: Partial<SonarQubeClient> = {}): SonarQubeClient {
  return {
    serverUrl: 'https://sonar.example.com',
    fetchIssues: jest.fn(),
    fetchHotspots: jest.fn(),
    waitForAnalysis: jest.fn(async (id: string) => ({ id, status: 'SUCCESS', analysisId: 'AN1' })),
    fetchFindings: jest.fn(async (project) => ({
      serverUrl: 'https://sonar.example.com',
      ...project,
      fetchedAt: '2026-12-02T06:00:00.000Z',
      issues: { paging: { pageIndex: 1, pageSize: 1, total: 1 }, issues: [{ key: 'I1' }], components: [] },
      hotspots: { paging: { pageIndex: 1, pageSize: 0, total: 0 }, hotspots: [], components: [] },
      stats: { issues: { requests: 1, pages: 1, splits: 0, duplicates: 0 }, hotspots: { requests: 1, pages: 1, splits: 0, duplicates: 0 } },
      warnings: [],
    })),
    fetchQualityGate: jest.fn(async () => ({ status: 'ERROR', conditions: [{ status: 'ERROR', metricKey: 'new_coverage', errorThreshold: '80', actualValue: '41' }] })),
    ...overrides,
  } as SonarQubeClient;
}

function deps(client: SonarQubeClient, files: Record<string, string> = { '.scannerwork/report-task.txt': REPORT_TASK }) {
  const written: Record<string, string> = {};
  const created: SonarQubeClientOptions[] = [];
  const d: SonarQubeExportDeps = {
    readFile: async (path) => {
      if (!(path in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[path]!;
    },
    writeFile: async (path, text) => void (written[path] = text),
    appendFile: async (path, text) => void (written[path] = (written[path] ?? '') + text),
    createSonarQubeClient: (options) => {
      created.push(options);
      return client;
    },
  };
  return { d, written, created };
}

describe('findings sonarqube-export', () => {
  it('waits for the analysis, exports with the server version of report-task.txt and writes the quality gate', async () => {
    // Arrange
    const { cli, out } = io();
    const client = fakeClient();
    const { d, written, created } = deps(client);
    // Act
    const code = await runSonarQubeExportCommand({ out: 'sonarqube-report.json', timeout: '15', 'quality-gate-out': 'gate.json' }, cli, d);
    // Assert
    expect(code).toBe(0);
    expect(created[0]).toMatchObject({ serverUrl: 'https://sonar.example.com', token: 'squ_secret_token', serverVersion: '10.6.0.92116' });
    expect(client.waitForAnalysis).toHaveBeenCalledWith('AY1', { timeoutMs: 900_000 });
    expect(client.fetchFindings).toHaveBeenCalledWith({ projectKey: 'hospital-portal', branch: undefined, pullRequest: undefined });
    expect(JSON.parse(written['sonarqube-report.json']!)).toMatchObject({ projectKey: 'hospital-portal', issues: { issues: [{ key: 'I1' }] } });
    expect(client.fetchQualityGate).toHaveBeenCalledWith('AN1');
    expect(JSON.parse(written['gate.json']!)).toMatchObject({ analysisId: 'AN1', status: 'ERROR' });
    expect(out.stderr).not.toContain('squ_secret_token');
  });

  it('records the export warnings for publish-and-gate', async () => {
    const base = fakeClient();
    const client = fakeClient({ fetchFindings: async (p) => ({ ...(await base.fetchFindings(p)), warnings: ['the hotspot split did not add up'] }) });
    const { d, written } = deps(client);

    expect(await runSonarQubeExportCommand({ out: 'r.json' }, io({ SONAR_TOKEN: 't0k3n', SCAN_WARNINGS_FILE: '/tmp/devsecops/warnings.txt' }).cli, d)).toBe(0);
    expect(written['/tmp/devsecops/warnings.txt']).toBe('SonarQube export: the hotspot split did not add up\n');
  });

  it('fails with one line when SonarQube fails, and with usage errors for missing input', async () => {
    const failing = fakeClient({ waitForAnalysis: async () => Promise.reject(new SonarQubeError('the analysis task AY1 failed in SonarQube: out of memory', 'ANALYSIS_FAILED')) });
    const { cli, out } = io();
    expect(await runSonarQubeExportCommand({ out: 'r.json' }, cli, deps(failing).d)).toBe(1);
    expect(out.stderr).toBe('sonarqube: waiting for analysis task AY1 (server 10.6.0.92116)\nfindings: SonarQube: the analysis task AY1 failed in SonarQube: out of memory\n');

    const noToken = io({});
    expect(await runSonarQubeExportCommand({ out: 'r.json' }, noToken.cli, deps(fakeClient()).d)).toBe(2);
    expect(noToken.out.stderr).toContain('$SONAR_TOKEN');

    const noTask = io();
    expect(await runSonarQubeExportCommand({ out: 'r.json' }, noTask.cli, deps(fakeClient(), {}).d)).toBe(2);
    expect(noTask.out.stderr).toContain('.scannerwork/report-task.txt: cannot be read (ENOENT)');
  });
});
