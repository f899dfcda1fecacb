import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { SonarQubeError } from './errors';
import { normaliseServerUrl } from './client';

export interface SonarQubeParameterNames {
  /** SSM parameter holding the server URL (String, StringList or SecureString). */
  urlParameter: string;
  /** SSM parameter holding the token (SecureString; decrypted). */
  tokenParameter: string;
  /** Seconds Powertools keeps the values cached between invocations (default 300). */
  maxAgeSeconds?: number;
}

export interface SonarQubeConfig {
  serverUrl: string;
  token: string;
}

async function read(name: string, maxAge: number): Promise<string> {
  let value: unknown;
  try {
    value = await getParameter(name, { decrypt: true, maxAge });
  } catch (error) {
    // The SDK error names the parameter and the reason (not found, access denied); it never holds the value.
    const reason = (error as { cause?: { name?: string }; name?: string })?.cause?.name ?? (error as Error)?.name ?? 'error';
    throw new SonarQubeError(`could not read SSM parameter "${name}" (${reason}): check that it exists and the function may read and decrypt it`, 'CONFIG');
  }
  if (typeof value !== 'string' || value.trim() === '') throw new SonarQubeError(`SSM parameter "${name}" is missing or empty`, 'CONFIG');
  return value.trim();
}

/**
 * Server URL and token from Parameter Store, through Powertools Parameters (cached, decrypted). Pass the result to
 * createSonarQubeClient. The token never leaves the returned object: no log line, no error message.
 */
export async function sonarQubeConfigFromParameters(names: SonarQubeParameterNames): Promise<SonarQubeConfig> {
  const maxAge = names.maxAgeSeconds ?? 300;
  const [url, token] = await Promise.all([read(names.urlParameter, maxAge), read(names.tokenParameter, maxAge)]);
  let serverUrl: string;
  try {
    serverUrl = normaliseServerUrl(url);
  } catch (error) {
    throw new SonarQubeError(`SSM parameter "${names.urlParameter}": ${(error as Error).message}`, 'CONFIG');
  }
  return { serverUrl, token };
}
