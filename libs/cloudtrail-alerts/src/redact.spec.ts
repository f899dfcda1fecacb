import fc from 'fast-check';
import { ACCESS_KEY, SECRET_KEY, SONAR_TOKEN, createProject, putParameter, updatePipeline } from './__fixtures__/events';
import { REDACTED, redactRequestParameters, redactText } from './redact';

describe('redactRequestParameters', () => {
  it('removes every CodeBuild environment variable value but keeps names and types', () => {
    // Arrange
    const detail = createProject();
    // Act
    const redacted = redactRequestParameters(detail.eventSource, detail.requestParameters) as { environment: { environmentVariables: unknown[] } };
    // Assert
    expect(redacted.environment.environmentVariables).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', value: REDACTED, type: 'PLAINTEXT' },
      { name: 'AWS_SECRET_ACCESS_KEY', value: REDACTED, type: 'PLAINTEXT' },
      { name: 'SONAR_TOKEN', value: REDACTED, type: 'PARAMETER_STORE' },
      { name: 'REPORT_NAME', value: REDACTED, type: 'PLAINTEXT' },
    ]);
    const text = JSON.stringify(redacted);
    for (const secret of [ACCESS_KEY, SECRET_KEY, SONAR_TOKEN]) expect(text).not.toContain(secret);
    expect(text).toContain('https://[REDACTED]@github.com/hospital/rules.git');
    expect(text).toContain('"credential":"[REDACTED]"');
    expect(text).toContain('"image":"aws/codebuild/standard:7.0"');
  });

  it('removes values inside the EnvironmentVariables JSON of a pipeline’s CodeBuild action', () => {
    // Arrange
    const detail = updatePipeline();
    // Act
    const redacted = redactRequestParameters(detail.eventSource, detail.requestParameters);
    // Assert
    const text = JSON.stringify(redacted);
    expect(text).not.toContain(SONAR_TOKEN);
    expect(text).toContain('SONAR_TOKEN');
    expect(text).toContain('"ProjectName":"sca"');
  });

  it('removes the value of PutParameter whatever its type', () => {
    for (const type of ['SecureString', 'String']) {
      const detail = putParameter(type);
      const redacted = redactRequestParameters(detail.eventSource, detail.requestParameters);
      expect(redacted).toEqual({ name: '/devsecops/scanners/sonar-token', type, value: REDACTED, overwrite: true, keyId: 'alias/aws/ssm' });
    }
  });

  it('keeps no secret that a caller put anywhere in an environment variable, whatever its shape', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12 }).filter((s) => s.trim().length >= 12 && !/["\\]/.test(s)),
        fc.constantFrom('environmentVariables', 'environmentVariablesOverride'),
        fc.constantFrom('PLAINTEXT', 'PARAMETER_STORE', undefined),
        (secret, key, type) => {
          const parameters = { name: 'p', ...(key === 'environmentVariables' ? { environment: { [key]: [{ name: 'X', value: secret, type }] } } : { [key]: [{ name: 'X', value: secret }] }) };
          expect(JSON.stringify(redactRequestParameters('codebuild.amazonaws.com', parameters))).not.toContain(secret);
        },
      ),
    );
  });

  it('is undefined without parameters', () => {
    expect(redactRequestParameters('codepipeline.amazonaws.com', null)).toBeUndefined();
  });
});

describe('redactText', () => {
  it('removes access keys and URL credentials from free text', () => {
    expect(redactText(`cannot use ${ACCESS_KEY} on https://u:p4ss@host/x`)).toBe('cannot use AKIA**************** on https://[REDACTED]@host/x');
  });
});
