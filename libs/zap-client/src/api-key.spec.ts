import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readZapApiKey } from './api-key';
import { ZapScanError } from './errors';

describe('readZapApiKey', () => {
  it('reads a SecureString from Parameter Store with decryption', async () => {
    // Arrange
    const getParameter = jest.fn().mockResolvedValue('  key-from-ssm\n');

    // Act
    const key = await readZapApiKey({ parameterName: '/devsecops/zap/api-key', getParameter, env: { ZAP_API_KEY: 'ignored' } });

    // Assert
    expect(key).toBe('key-from-ssm');
    expect(getParameter).toHaveBeenCalledWith('/devsecops/zap/api-key', { decrypt: true });
  });

  it('falls back to the environment variable', async () => {
    // Arrange / Act
    const key = await readZapApiKey({ env: { ZAP_API_KEY: 'key-from-env' } });
    const custom = await readZapApiKey({ envVar: 'OWASP_ZAP_KEY', env: { OWASP_ZAP_KEY: 'other' } });

    // Assert
    expect([key, custom]).toEqual(['key-from-env', 'other']);
  });

  it('fails with where it looked, never with a value', async () => {
    // Arrange
    const denied = Object.assign(new Error('User is not authorized to perform ssm:GetParameter'), { name: 'AccessDeniedException' });
    const cases = [
      readZapApiKey({ env: {} }),
      readZapApiKey({ parameterName: '/zap/key', getParameter: jest.fn().mockResolvedValue(undefined) }),
      readZapApiKey({ parameterName: '/zap/key', getParameter: jest.fn().mockRejectedValue(denied) }),
    ];

    // Act
    const errors = await Promise.all(cases.map((c) => c.then(() => undefined, (e: unknown) => e)));

    // Assert
    expect(errors.every((e) => e instanceof ZapScanError)).toBe(true);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'ZAP api-key: no API key: set the SSM parameter name (--api-key-parameter) or the ZAP_API_KEY environment variable',
      'ZAP api-key: SSM parameter /zap/key is missing or empty',
      'ZAP api-key: could not read SSM parameter /zap/key: AccessDeniedException (User is not authorized to perform ssm:GetParameter)',
    ]);
  });
});

describe('readZapApiKey with Powertools (SSM mocked)', () => {
  it('asks SSM for the decrypted parameter', async () => {
    // Arrange
    const ssm = mockClient(SSMClient);
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/zap/powertools-key', Value: 'key-via-powertools' } });

    // Act
    const key = await readZapApiKey({ parameterName: '/zap/powertools-key' });

    // Assert
    expect(key).toBe('key-via-powertools');
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/zap/powertools-key', WithDecryption: true });
    ssm.restore();
  });
});
