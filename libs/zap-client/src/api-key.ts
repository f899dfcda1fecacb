import { ZapScanError } from './errors';

export type GetParameter = (name: string, options: { decrypt: true }) => Promise<string | undefined>;

export interface ApiKeySource {
  /** SSM Parameter Store name of a SecureString holding the key. Takes precedence over the environment. */
  parameterName?: string;
  /** Environment variable with the key. Default `ZAP_API_KEY`. */
  envVar?: string;
  env?: NodeJS.ProcessEnv;
  /** Injected in tests; default Powertools' SSM getParameter (cached, decrypting). */
  getParameter?: GetParameter;
}

async function powertoolsGetParameter(name: string, options: { decrypt: true }): Promise<string | undefined> {
  // Loaded on demand: a run with the key in the environment needs no AWS SDK.
  const { getParameter } = await import('@aws-lambda-powertools/parameters/ssm');
  return getParameter(name, options);
}

/**
 * The ZAP API key from Parameter Store (SecureString, decrypted) or an environment variable. Errors name where
 * the key was looked for, never its value.
 */
export async function readZapApiKey(source: ApiKeySource = {}): Promise<string> {
  if (source.parameterName) {
    let value: string | undefined;
    try {
      value = await (source.getParameter ?? powertoolsGetParameter)(source.parameterName, { decrypt: true });
    } catch (error) {
      const err = error as Error;
      throw new ZapScanError('api-key', `could not read SSM parameter ${source.parameterName}: ${err?.name ?? 'Error'}${err?.message ? ` (${err.message})` : ''}`);
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ZapScanError('api-key', `SSM parameter ${source.parameterName} is missing or empty`);
    }
    return value.trim();
  }
  const envVar = source.envVar ?? 'ZAP_API_KEY';
  const value = (source.env ?? process.env)[envVar];
  if (!value || value.trim() === '') {
    throw new ZapScanError('api-key', `no API key: set the SSM parameter name (--api-key-parameter) or the ${envVar} environment variable`);
  }
  return value.trim();
}
