import { reportToolId, toolSlug } from './tool-slug';

describe('toolSlug', () => {
  it.each([
    ['CodeQL', 'codeql'],
    ['Semgrep OSS', 'semgrep'],
    ['Semgrep Pro', 'semgrep'],
    ['ESLint', 'eslint'],
    ['Trivy', 'trivy'],
    ['Checkmarx One', 'checkmarx-one'],
    ['SonarQube Community Edition', 'sonarqube'],
    ['Microsoft.CodeAnalysis.CSharp', 'microsoft-codeanalysis-csharp'],
    ['OSS', 'oss'],
    ['  ', 'sarif'],
    [undefined, 'sarif'],
  ])('%s → %s', (name, slug) => {
    expect(toolSlug(name)).toBe(slug);
  });

  it('caps the slug at 64 characters', () => {
    expect(toolSlug('x'.repeat(100))).toHaveLength(64);
  });
});

describe('reportToolId', () => {
  it('joins distinct drivers sorted with "+", so run order does not matter', () => {
    expect(reportToolId(['Semgrep OSS', 'CodeQL', 'CodeQL'])).toBe('codeql+semgrep');
    expect(reportToolId(['CodeQL', 'Semgrep Pro'])).toBe('codeql+semgrep');
  });

  it('is "sarif" for a file without runs', () => {
    expect(reportToolId([])).toBe('sarif');
  });
});
