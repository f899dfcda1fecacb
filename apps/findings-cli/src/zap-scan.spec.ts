import { ZapScanError } from '@devsecops/zap-client';
import type { CliIo } from './cli';
import { runZapScanCommand, type ZapScanDeps } from './zap-scan';

function io(env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: '', stderr: '' };
  const cli: CliIo = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), env, readFile: async () => new Uint8Array() };
  return { cli, out };
}

function deps(overrides: Partial<ZapScanDeps> = {}): ZapScanDeps & { written: Record<string, string> } {
  const written: Record<string, string> = {};
  return {
    written,
    writeFile: async (path, text) => void (written[path] = text),
    readZapApiKey: async () => 'zap-key-secret',
    runZapScan: async () => ({ report: {}, reportJson: '{"site":[]}', alerts: 3, durationMs: 4200, partial: false, warnings: [] }),
    appendFile: async (path, text) => void (written[path] = (written[path] ?? '') + text),
    ...overrides,
  };
}

describe('findings zap-scan', () => {
  it('runs the scan with the key from Parameter Store and writes the report', async () => {
    // Arrange
    const { cli, out } = io();
    const runZapScan = jest.fn(async () => ({ report: {}, reportJson: '{"site":[]}', alerts: 3, durationMs: 4200, partial: false, warnings: [] }));
    const readZapApiKey = jest.fn(async () => 'zap-key-secret');
    const d = deps({ runZapScan, readZapApiKey });
    // Act
    const code = await runZapScanCommand({ target: 'https://staging.example.com', zap: 'http://zap:8080', out: 'zap.json', baseline: true, 'api-key-parameter': '/pipeline/zap/api-key' }, cli, d);
    // Assert
    expect(code).toBe(0);
    expect(readZapApiKey).toHaveBeenCalledWith({ parameterName: '/pipeline/zap/api-key', env: {} });
    expect(runZapScan).toHaveBeenCalledWith(expect.objectContaining({ zapUrl: 'http://zap:8080', target: 'https://staging.example.com', apiKey: 'zap-key-secret', mode: 'baseline' }));
    expect(d.written['zap.json']).toBe('{"site":[]}');
    expect(out.stderr).toMatch(/3 alert\(s\) for https:\/\/staging\.example\.com/);
    expect(out.stderr).not.toContain('zap-key-secret');
  });

  it('passes --timeout to the client as its limits and asks for a partial report on time-out', async () => {
    // Arrange
    const { cli } = io();
    const runZapScan = jest.fn(async () => ({ report: {}, reportJson: '{"site":[]}', alerts: 0, durationMs: 1, partial: false, warnings: [] }));
    // Act
    const code = await runZapScanCommand({ target: 'https://s.example', zap: 'http://z', out: 'o.json', timeout: '60' }, cli, deps({ runZapScan }));
    // Assert
    expect(code).toBe(0);
    expect(runZapScan).toHaveBeenCalledWith(
      expect.objectContaining({ partialOnTimeout: true, timeouts: { totalMs: 3_600_000, spiderMs: 900_000, passiveMs: 540_000, activeMs: 3_600_000 } }),
    );
  });

  it('writes a partial report, prints why and records the warning for publish-and-gate', async () => {
    // Arrange
    const { cli, out } = io({ SCAN_WARNINGS_FILE: '/tmp/devsecops/warnings.txt', SCAN_PARTIAL_FILE: '/tmp/devsecops/partial-scan' });
    const warning = 'ZAP active: active scan 3 did not finish in its time limit: waited 45 min, at 60%; the scan was stopped and the report holds only what was found so far (partial)';
    const d = deps({ runZapScan: async () => ({ report: {}, reportJson: '{"site":[{"@name":"https://s.example"}]}', alerts: 2, durationMs: 2_700_000, partial: true, warnings: [warning] }) });
    // Act
    const code = await runZapScanCommand({ target: 'https://s.example', zap: 'http://z', out: 'o.json', timeout: '45' }, cli, d);
    // Assert
    expect(code).toBe(0);
    expect(d.written['o.json']).toContain('https://s.example');
    expect(d.written['/tmp/devsecops/warnings.txt']).toBe(`${warning}\n`);
    expect(d.written['/tmp/devsecops/partial-scan']).toBe('https://s.example\n');
    expect(out.stderr).toContain('(partial: time limit reached)');
    expect(out.stderr).toContain(`warning: ${warning}`);
  });

  it('refuses a --timeout that is not whole minutes', async () => {
    const { cli, out } = io();
    expect(await runZapScanCommand({ target: 'https://s', zap: 'http://z', out: 'o.json', timeout: '1.5h' }, cli, deps())).toBe(1);
    expect(out.stderr).toContain('--timeout must be whole minutes');
  });

  it('fails the build with one clear line when the scan fails', async () => {
    // Arrange
    const { cli, out } = io();
    const d = deps({ runZapScan: async () => Promise.reject(new ZapScanError('active', 'stalled at 45% for 10 min')) });
    // Act
    const code = await runZapScanCommand({ target: 'https://s', zap: 'http://z', out: 'o.json' }, cli, d);
    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toBe('findings: ZAP active: stalled at 45% for 10 min\n');
    expect(d.written).toEqual({});
  });

  it('says which options are missing', async () => {
    const { cli, out } = io();
    expect(await runZapScanCommand({ zap: 'http://z' }, cli, deps())).toBe(2);
    expect(out.stderr).toBe('findings: zap-scan needs --target, --out\n');
  });
});
