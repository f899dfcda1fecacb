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
    runZapScan: async () => ({ report: {}, reportJson: '{"site":[]}', alerts: 3, durationMs: 4200 }),
    ...overrides,
  };
}

describe('findings zap-scan', () => {
  it('runs the scan with the key from Parameter Store and writes the report', async () => {
    // Arrange
    const { cli, out } = io();
    const runZapScan = jest.fn(async () => ({ report: {}, reportJson: '{"site":[]}', alerts: 3, durationMs: 4200 }));
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
