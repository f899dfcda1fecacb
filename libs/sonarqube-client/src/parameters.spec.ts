import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SonarQubeError } from './errors';
import { sonarQubeConfigFromParameters } from './parameters';

const ssm = mockClient(SSMClient);
const TOKEN = 'squ_from_parameter_store_0123456789';
let n = 0;

/** Fresh parameter names per test: Powertools caches values by name. */
function names() {
  n += 1;
  return { urlParameter: `/devsecops/${n}/sonarqube/url`, tokenParameter: `/devsecops/${n}/sonarqube/token` };
}

beforeEach(() => ssm.reset());

describe('sonarQubeConfigFromParameters', () => {
  it('reads the URL and the decrypted token through Powertools Parameters', async () => {
    const p = names();
    ssm.on(GetParameterCommand, { Name: p.urlParameter }).resolves({ Parameter: { Name: p.urlParameter, Type: 'String', Value: 'https://sonar.example.com/ ' } });
    ssm.on(GetParameterCommand, { Name: p.tokenParameter }).resolves({ Parameter: { Name: p.tokenParameter, Type: 'SecureString', Value: TOKEN } });

    const config = await sonarQubeConfigFromParameters(p);

    expect(config).toEqual({ serverUrl: 'https://sonar.example.com', token: TOKEN });
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: p.tokenParameter, WithDecryption: true });
  });

  it('caches the values (one SSM call per parameter across invocations)', async () => {
    const p = names();
    ssm.on(GetParameterCommand, { Name: p.urlParameter }).resolves({ Parameter: { Value: 'https://sonar.example.com' } });
    ssm.on(GetParameterCommand, { Name: p.tokenParameter }).resolves({ Parameter: { Value: TOKEN } });

    await sonarQubeConfigFromParameters(p);
    await sonarQubeConfigFromParameters(p);

    expect(ssm).toHaveReceivedCommandTimes(GetParameterCommand, 2);
  });

  it('names a missing parameter without showing any value', async () => {
    const p = names();
    ssm.on(GetParameterCommand, { Name: p.urlParameter }).resolves({ Parameter: { Value: 'https://sonar.example.com' } });
    ssm.on(GetParameterCommand, { Name: p.tokenParameter }).rejects(Object.assign(new Error('Parameter not found'), { name: 'ParameterNotFound' }));

    const error = await sonarQubeConfigFromParameters(p).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SonarQubeError);
    expect((error as Error).message).toBe(
      `could not read SSM parameter "${p.tokenParameter}" (ParameterNotFound): check that it exists and the function may read and decrypt it`,
    );
  });

  it('rejects an empty token and a URL that is not http(s), without echoing values', async () => {
    const p = names();
    ssm.on(GetParameterCommand, { Name: p.urlParameter }).resolves({ Parameter: { Value: 'sonar.example.com' } });
    ssm.on(GetParameterCommand, { Name: p.tokenParameter }).resolves({ Parameter: { Value: TOKEN } });
    const q = names();
    ssm.on(GetParameterCommand, { Name: q.urlParameter }).resolves({ Parameter: { Value: 'https://sonar.example.com' } });
    ssm.on(GetParameterCommand, { Name: q.tokenParameter }).resolves({ Parameter: { Value: '   ' } });

    await expect(sonarQubeConfigFromParameters(p)).rejects.toThrow(`SSM parameter "${p.urlParameter}": the SonarQube server URL is not a valid URL`);
    await expect(sonarQubeConfigFromParameters(q)).rejects.toThrow(`SSM parameter "${q.tokenParameter}" is missing or empty`);
  });
});
