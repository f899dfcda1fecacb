import { FIXED_NOW, testScope } from '@devsecops/test-support';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { buildFinding } from './build';
import { assertValidFinding, validateFinding } from './validate';

function valid(): AwsSecurityFinding {
  return buildFinding(
    {
      ruleId: 'php.rule',
      location: 'src/a.php',
      title: 'Title',
      description: 'Description',
      severity: { label: 'LOW', original: 'error' },
      resources: [{ Type: 'Other', Id: 'src/a.php' }],
    },
    testScope(),
    FIXED_NOW,
  );
}

function problemsOf(mutate: (f: AwsSecurityFinding & Record<string, unknown>) => void): string[] {
  const finding = valid() as AwsSecurityFinding & Record<string, unknown>;
  mutate(finding);
  return validateFinding(finding).map((p) => p.path);
}

describe('validateFinding', () => {
  it('accepts a built finding', () => {
    expect(validateFinding(valid())).toEqual([]);
  });

  it.each<[string, (f: AwsSecurityFinding & Record<string, unknown>) => void, string]>([
    ['a wrong schema version', (f) => (f.SchemaVersion = '2020-01-01'), 'SchemaVersion'],
    ['an empty Id', (f) => (f.Id = ''), 'Id'],
    ['an Id over 512 characters', (f) => (f.Id = 'i'.repeat(513)), 'Id'],
    ['a ProductArn that is not one', (f) => (f.ProductArn = 'arn:aws:s3:::bucket-name'), 'ProductArn'],
    ['an 11-digit account', (f) => (f.AwsAccountId = '12345678901'), 'AwsAccountId'],
    ['a Type outside the namespaces', (f) => (f.Types = ['Made Up/Thing']), 'Types[0]'],
    ['51 Types', (f) => (f.Types = Array.from({ length: 51 }, () => 'Effects')), 'Types'],
    ['a timestamp without a zone', (f) => (f.CreatedAt = '2026-11-22T12:00:00'), 'CreatedAt'],
    ['UpdatedAt before CreatedAt', (f) => (f.UpdatedAt = '2020-01-01T00:00:00Z'), 'UpdatedAt'],
    ['an unknown severity label', (f) => (f.Severity = { Label: 'SEVERE' as never }), 'Severity.Label'],
    ['a 257-character Title', (f) => (f.Title = 't'.repeat(257)), 'Title'],
    ['a blank Description', (f) => (f.Description = '   '), 'Description'],
    ['no resources', (f) => (f.Resources = []), 'Resources'],
    ['33 resources', (f) => (f.Resources = Array.from({ length: 33 }, (_, i) => ({ Type: 'Other', Id: `r${i}` }))), 'Resources'],
    ['an unknown partition', (f) => (f.Resources![0]!.Partition = 'aws-mars' as never), 'Resources[0].Partition'],
    ['51 ProductFields', (f) => (f.ProductFields = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))), 'ProductFields'],
    ['a 2049-character ProductFields value', (f) => (f.ProductFields = { k: 'v'.repeat(2049) }), 'ProductFields.k'],
    ['a 513-character recommendation', (f) => (f.Remediation = { Recommendation: { Text: 'r'.repeat(513) } }), 'Remediation.Recommendation.Text'],
    ['a vulnerability without an Id', (f) => (f.Vulnerabilities = [{ Id: '' }]), 'Vulnerabilities[0].Id'],
    ['an unknown FixAvailable', (f) => (f.Vulnerabilities = [{ Id: 'CVE-1', FixAvailable: 'MAYBE' as never }]), 'Vulnerabilities[0].FixAvailable'],
    ['a CVSS score over 10', (f) => (f.Vulnerabilities = [{ Id: 'CVE-1', Cvss: [{ BaseScore: 11 }] }]), 'Vulnerabilities[0].Cvss[0].BaseScore'],
    ['an unknown RecordState', (f) => (f.RecordState = 'GONE' as never), 'RecordState'],
    ['a lone surrogate', (f) => (f.Title = 'x \ud800 y'), ''],
    ['a finding over 240 KB', (f) => (f.Resources![0]!.Details = { Other: { a: 'x'.repeat(250_000) } }), ''],
  ])('reports %s', (_name, mutate, path) => {
    expect(problemsOf(mutate)).toContain(path);
  });

  it('names the finding and every problem when asserting', () => {
    // Arrange
    const finding = { ...valid(), Title: '' };
    // Act / Assert
    expect(() => assertValidFinding(finding)).toThrow(/Invalid finding devsecops\/.*Title must have at least 1/);
  });
});
