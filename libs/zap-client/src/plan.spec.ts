import { ZapScanError } from './errors';
import { DEFAULT_TIMEOUTS, originOf, planZapScan } from './plan';

describe('planZapScan', () => {
  it('plans access, spider, passive wait, active scan and report for a full scan', () => {
    // Arrange
    const options = { target: 'https://staging.example.com/app' };

    // Act
    const steps = planZapScan(options);

    // Assert
    expect(steps).toEqual([
      { kind: 'accessUrl', url: 'https://staging.example.com/app' },
      { kind: 'spider', url: 'https://staging.example.com/app', subtreeOnly: true, timeoutMs: DEFAULT_TIMEOUTS.spiderMs },
      { kind: 'passiveWait', timeoutMs: DEFAULT_TIMEOUTS.passiveMs },
      { kind: 'activeScan', url: 'https://staging.example.com/app', timeoutMs: DEFAULT_TIMEOUTS.activeMs },
      { kind: 'report', origin: 'https://staging.example.com' },
    ]);
  });

  it('plans no active scan in baseline mode, and a new session when asked', () => {
    // Arrange
    const options = { target: 'http://staging.example.com:8080/', mode: 'baseline' as const, newSession: true, accessUrl: false };

    // Act
    const kinds = planZapScan(options).map((s) => s.kind);

    // Assert
    expect(kinds).toEqual(['newSession', 'spider', 'passiveWait', 'report']);
  });

  it('refuses targets that are not http(s) URLs and non-positive limits', () => {
    // Arrange
    const bad = [
      { target: 'staging.example.com' },
      { target: 'file:///etc/passwd' },
      { target: 'https://x.example', timeouts: { activeMs: 0 } },
      { target: 'https://x.example', spiderMaxChildren: -1 },
      { target: 'https://x.example', mode: 'aggressive' as never },
    ];

    // Act
    const errors = bad.map((options) => {
      try {
        planZapScan(options);
        return undefined;
      } catch (error) {
        return error;
      }
    });

    // Assert
    for (const error of errors) {
      expect(error).toBeInstanceOf(ZapScanError);
      expect((error as ZapScanError).phase).toBe('config');
    }
  });

  it('never shows credentials of the target in its error', () => {
    // Arrange / Act
    const plan = () => planZapScan({ target: 'ftp://user:secret-pw@host.example/' });

    // Assert
    expect(plan).toThrow('target must be an http(s) URL, got "ftp://host.example/"');
  });
});

describe('originOf', () => {
  it('gives the origin ZAP names sites by: lower case, default port dropped', () => {
    // Arrange / Act / Assert
    expect(['HTTPS://Staging.Example.com:443/a?b', 'http://x.example:8080/', 'mailto:a@b'].map(originOf)).toEqual([
      'https://staging.example.com',
      'http://x.example:8080',
      undefined,
    ]);
  });
});
