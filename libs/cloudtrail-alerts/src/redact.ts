import { redactSecrets } from '@devsecops/aws-conventions';

export const REDACTED = '[REDACTED]';

/**
 * Keys whose string value is a secret wherever they appear (compared lower-case without - and _):
 * passwords, tokens (GitHub OAuthToken, session tokens), keys, credentials (CodeBuild registryCredential.credential),
 * signatures. Idempotency tokens are caught too; that costs nothing.
 */
const SECRET_KEY_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secretkey',
  'secretaccesskey',
  'token',
  'apikey',
  'credential',
  'credentials',
  'privatekey',
  'authorization',
  'signature',
];

function isSecretKey(key: string): boolean {
  const norm = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEY_SUFFIXES.some((suffix) => norm.endsWith(suffix));
}

/** `https://user:password@host/…` → `https://[REDACTED]@host/…` (CodeBuild.1: credentials in a source URL). */
function withoutUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, `$1${REDACTED}@`);
}

function redactString(text: string): string {
  return redactSecrets(withoutUrlCredentials(text));
}

/** `[{name, value, type}]` in a CodePipeline CodeBuild action's `EnvironmentVariables` configuration (a JSON string). */
function redactEnvironmentVariablesJson(text: string): string {
  try {
    const parsed = JSON.parse(text) as unknown;
    return JSON.stringify(redactValue(parsed, 'EnvironmentVariables', true));
  } catch {
    return REDACTED;
  }
}

/** An environment variable (CodeBuild `{name, value, type}`): its value goes, its name and type stay. */
function isNameValuePair(value: Record<string, unknown>): boolean {
  return ('name' in value || 'Name' in value) && ('value' in value || 'Value' in value);
}

function redactValue(value: unknown, key: string, inEnvironment: boolean): unknown {
  if (typeof value === 'string') {
    if (isSecretKey(key)) return REDACTED;
    if (key === 'EnvironmentVariables') return redactEnvironmentVariablesJson(value);
    return redactString(value);
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, key, inEnvironment));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const envVarLike = inEnvironment || isNameValuePair(record);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (envVarLike && (k === 'value' || k === 'Value') && v !== null && v !== undefined) {
      out[k] = REDACTED;
      continue;
    }
    const environment = /^environmentVariables/i.test(k);
    out[k] = redactValue(v, k, environment);
  }
  return out;
}

/**
 * A copy of CloudTrail requestParameters safe to log, mail or put in a finding:
 * - every `value` of a name/value pair (CodeBuild environmentVariables[], environmentVariablesOverride[],
 *   the EnvironmentVariables JSON of a pipeline's CodeBuild action);
 * - SSM PutParameter's `value` (whatever the parameter type);
 * - any string under a secret-looking key (password, token, secret, apiKey, credential, …);
 * - credentials embedded in URLs; then redactSecrets on every remaining string (AKIA…, Bearer …, key=value).
 */
export function redactRequestParameters(eventSource: string, parameters: Record<string, unknown> | null | undefined): Record<string, unknown> | undefined {
  if (!parameters) return undefined;
  const redacted = redactValue(parameters, '', false) as Record<string, unknown>;
  if (eventSource === 'ssm.amazonaws.com' && 'value' in redacted) redacted.value = REDACTED;
  return redacted;
}

/** Free text from an event (error messages, user agents): credentials and signed-URL secrets removed. */
export function redactText(text: string | undefined): string | undefined {
  return text === undefined ? undefined : redactString(text);
}
