import { FIXED_NOW, testScope } from '@devsecops/test-support';
import { buildFinding, findingContentHash, isActive } from './build';
import { findingId } from './identity';
import { LIMITS, TRUNCATION_MARKER, jsonBytes } from './limits';
import { FIELD } from './product-fields';
import type { FindingDraft } from './types';
import { validateFinding } from './validate';

function draft(overrides: Partial<FindingDraft> = {}): FindingDraft {
  return {
    ruleId: 'CVE-2021-44228',
    location: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
    title: 'log4j-core@2.14.1: CVE-2021-44228',
    description: 'Apache Log4j2 JNDI features do not protect against attacker controlled LDAP endpoints.',
    severity: { label: 'CRITICAL', original: '10.0' },
    resources: [{ Type: 'Other', Id: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }],
    ...overrides,
  };
}

describe('buildFinding', () => {
  it('builds a finding Security Hub accepts, with severity in both places', () => {
    // Arrange
    const scope = testScope({ tool: 'dependency-check' });
    // Act
    const finding = buildFinding(draft(), scope, FIXED_NOW);
    // Assert
    expect(validateFinding(finding)).toEqual([]);
    expect(finding.ProductArn).toBe('arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default');
    expect(finding.GeneratorId).toBe('dependency-check/CVE-2021-44228');
    expect(finding.Severity).toEqual({ Label: 'CRITICAL', Original: '10.0' });
    expect(finding.FindingProviderFields?.Severity).toEqual({ Label: 'CRITICAL', Original: '10.0' });
    expect(finding.FindingProviderFields?.Types).toEqual(finding.Types);
    expect(finding.Resources?.[0]).toMatchObject({ Partition: 'aws', Region: 'us-east-1' });
    expect(finding.ProductFields?.[FIELD.repository]).toBe('hospital/patient-portal');
    expect(finding.ProductFields?.[FIELD.commit]).toBe(scope.commit);
    expect(finding.RecordState).toBe('ACTIVE');
  });

  it.each([
    ['aws-us-gov', 'us-gov-west-1', 'arn:aws-us-gov:securityhub:us-gov-west-1:'],
    ['aws-cn', 'cn-north-1', 'arn:aws-cn:securityhub:cn-north-1:'],
  ] as const)('builds the ProductArn for the %s partition', (partition, region, prefix) => {
    // Act
    const finding = buildFinding(draft(), testScope({ partition, region }), FIXED_NOW);
    // Assert
    expect(finding.ProductArn?.startsWith(prefix)).toBe(true);
    expect(finding.Resources?.[0]?.Partition).toBe(partition);
    expect(validateFinding(finding)).toEqual([]);
  });

  it('keeps the Id stable across builds, commits and times, and apart across rules, locations and branches', () => {
    // Arrange
    const a = buildFinding(draft(), testScope(), FIXED_NOW);
    const sameLater = buildFinding(draft(), testScope({ buildId: 'other:build', commit: 'ffff' }), '2027-01-01T00:00:00.000Z');
    // Assert
    expect(sameLater.Id).toBe(a.Id);
    expect(buildFinding(draft({ ruleId: 'CVE-2021-45046' }), testScope(), FIXED_NOW).Id).not.toBe(a.Id);
    expect(buildFinding(draft({ location: 'pkg:maven/x/y@1' }), testScope(), FIXED_NOW).Id).not.toBe(a.Id);
    expect(buildFinding(draft(), testScope({ branch: 'release' }), FIXED_NOW).Id).not.toBe(a.Id);
    expect(a.Id!.length).toBeLessThanOrEqual(LIMITS.id);
  });

  it('uses the tool identity instead of rule and location when given', () => {
    // Arrange
    const scope = testScope();
    // Act
    const moved = buildFinding(draft({ identity: 'AYx1', location: 'src/a.ts:10' }), scope, FIXED_NOW);
    const movedAgain = buildFinding(draft({ identity: 'AYx1', location: 'src/a.ts:42' }), scope, FIXED_NOW);
    // Assert
    expect(moved.Id).toBe(movedAgain.Id);
    expect(moved.Id).toBe(findingId(scope, { ruleId: 'CVE-2021-44228', location: 'anything', identity: 'AYx1' }));
  });

  it('truncates every text limit with a visible marker and never leaves a required field empty', () => {
    // Arrange
    const long = 'x'.repeat(5000);
    // Act
    const finding = buildFinding(
      draft({ title: long, description: long, remediation: { text: long, url: 'https://example.com/fix' }, productFields: { big: long } }),
      testScope(),
      FIXED_NOW,
    );
    const blank = buildFinding(draft({ title: '  ', description: '' }), testScope(), FIXED_NOW);
    // Assert
    expect(finding.Title).toHaveLength(LIMITS.title);
    expect(finding.Title?.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(finding.Description).toHaveLength(LIMITS.description);
    expect(finding.Remediation?.Recommendation?.Text).toHaveLength(LIMITS.recommendationText);
    expect(blank.Title).toBe('CVE-2021-44228');
    expect(blank.Description).toBe('CVE-2021-44228');
    expect(validateFinding(finding)).toEqual([]);
  });

  it('keeps at most 32 resources and records how many were cut', () => {
    // Arrange
    const resources = Array.from({ length: 40 }, (_, i) => ({ Type: 'Other', Id: `https://staging.example.com/page/${i}` }));
    // Act
    const finding = buildFinding(draft({ resources }), testScope(), FIXED_NOW);
    // Assert
    expect(finding.Resources).toHaveLength(32);
    expect(finding.ProductFields?.[FIELD.resourcesOmitted]).toBe('8');
  });

  it('keeps ProductFields within 50 pairs, leaving room for Security Hub', () => {
    // Arrange
    const productFields = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`field${i}`, `value${i}`]));
    // Act
    const finding = buildFinding(draft({ productFields }), testScope(), FIXED_NOW);
    // Assert
    expect(Object.keys(finding.ProductFields ?? {}).length).toBeLessThanOrEqual(LIMITS.ownProductFields);
    expect(finding.ProductFields?.[FIELD.contentHash]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('hashes a finding built elsewhere without its timestamps and per-build fields', () => {
    // Arrange
    const { [FIELD.contentHash]: _drop, ...fields } = buildFinding(draft(), testScope(), FIXED_NOW).ProductFields!;
    const foreign = { ...buildFinding(draft(), testScope(), FIXED_NOW), ProductFields: fields };
    const later = { ...foreign, UpdatedAt: '2027-01-01T00:00:00.000Z', ProductFields: { ...fields, [FIELD.buildId]: 'other' } };
    // Act / Assert
    expect(findingContentHash(later)).toBe(findingContentHash(foreign));
    expect(findingContentHash({ ...foreign, Title: 'changed' })).not.toBe(findingContentHash(foreign));
  });

  it('gives a new content hash when the commit changes, so the finding records the revision it was seen in', () => {
    // Act
    const a = buildFinding(draft(), testScope({ commit: 'aaa' }), FIXED_NOW);
    const b = buildFinding(draft(), testScope({ commit: 'bbb' }), FIXED_NOW);
    // Assert
    expect(a.ProductFields?.[FIELD.contentHash]).not.toBe(b.ProductFields?.[FIELD.contentHash]);
  });

  it('drops resource details first when a finding would exceed 240 KB', () => {
    // Arrange
    const other = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]));
    const resources = Array.from({ length: 32 }, (_, i) => ({ Type: 'Other', Id: `r${i}`, Details: { Other: other } }));
    // Act
    const finding = buildFinding(draft({ resources }), testScope(), FIXED_NOW);
    // Assert
    expect(jsonBytes(finding)).toBeLessThanOrEqual(LIMITS.findingBytes);
    expect(finding.Resources).toHaveLength(32);
    expect(finding.Resources?.every((r) => r.Details === undefined)).toBe(true);
    expect(validateFinding(finding)).toEqual([]);
  });

  it('imports suppressed findings archived with Workflow SUPPRESSED, never active', () => {
    // Act
    const finding = buildFinding(draft({ state: 'SUPPRESSED', stateReason: 'accepted risk SEC-142' }), testScope(), FIXED_NOW);
    // Assert
    expect(finding.RecordState).toBe('ARCHIVED');
    expect(finding.Workflow?.Status).toBe('SUPPRESSED');
    expect(finding.Description).toContain('accepted risk SEC-142');
    expect(isActive(finding)).toBe(false);
  });

  it('gives equal content hashes to the same finding from another build, and different ones when it changes', () => {
    // Arrange
    const first = buildFinding(draft(), testScope(), FIXED_NOW);
    const rerun = buildFinding(draft(), testScope({ buildId: 'b2', reportUri: 's3://x/y' }), '2027-01-01T00:00:00.000Z');
    const changed = buildFinding(draft({ severity: { label: 'HIGH', original: '8.0' } }), testScope(), FIXED_NOW);
    // Assert
    expect(rerun.ProductFields?.[FIELD.contentHash]).toBe(first.ProductFields?.[FIELD.contentHash]);
    expect(changed.ProductFields?.[FIELD.contentHash]).not.toBe(first.ProductFields?.[FIELD.contentHash]);
  });

  it('defaults Types and drops entries outside the ASFF namespaces', () => {
    // Act
    const finding = buildFinding(draft({ types: ['Bogus/Thing', 'Software and Configuration Checks/Vulnerabilities/CVE'] }), testScope(), FIXED_NOW);
    const none = buildFinding(draft({ types: ['nope'] }), testScope(), FIXED_NOW);
    // Assert
    expect(finding.Types).toEqual(['Software and Configuration Checks/Vulnerabilities/CVE']);
    expect(none.Types).toEqual(['Software and Configuration Checks/Vulnerabilities']);
  });
});

describe('buildFinding: the gate\'s fields', () => {
  it('writes a branch-independent fingerprint of tool, rule and location, and First/LastObservedAt', () => {
    const main = buildFinding(draft(), testScope({ branch: 'main' }), FIXED_NOW);
    const feature = buildFinding(draft(), testScope({ branch: 'feature/x' }), FIXED_NOW);
    const other = buildFinding(draft({ location: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.17.0' }), testScope(), FIXED_NOW);
    expect(main.Id).not.toBe(feature.Id);
    expect(main.ProductFields![FIELD.fingerprint]).toMatch(/^[0-9a-f]{40}$/);
    expect(feature.ProductFields![FIELD.fingerprint]).toBe(main.ProductFields![FIELD.fingerprint]);
    expect(other.ProductFields![FIELD.fingerprint]).not.toBe(main.ProductFields![FIELD.fingerprint]);
    expect(main).toMatchObject({ FirstObservedAt: FIXED_NOW, LastObservedAt: FIXED_NOW });
    expect(validateFinding(main)).toEqual([]);
  });
});

describe('buildFinding with hostile input', () => {
  it('cuts huge resource ids, drops huge URLs and stays under 240 KB', () => {
    // Arrange
    const huge = 'a'.repeat(1_000_000);
    // Act
    const finding = buildFinding(
      draft({ resources: [{ Type: 'Other', Id: `src/${huge}.php` }], remediation: { text: 'fix', url: `https://example.com/${huge}` }, sourceUrl: `https://x/${huge}` }),
      testScope(),
      FIXED_NOW,
    );
    // Assert
    expect(validateFinding(finding)).toEqual([]);
    expect(finding.Resources![0]!.Id!.length).toBeLessThanOrEqual(LIMITS.resourceId);
    expect(finding.Remediation?.Recommendation?.Url).toBeUndefined();
    expect(finding.SourceUrl).toBeUndefined();
  });

  it('replaces lone surrogates everywhere, so the finding encodes as UTF-8', () => {
    // Arrange
    const lone = 'bad \ud800 text';
    // Act
    const finding = buildFinding(
      draft({ ruleId: `rule-${lone}`, title: lone, description: lone, resources: [{ Type: 'Other', Id: lone, Details: { Other: { [lone]: lone } } }], productFields: { note: lone } }),
      testScope({ branch: `feature-\udc00` }),
      FIXED_NOW,
    );
    // Assert
    const json = JSON.stringify(finding);
    expect(json).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    expect(finding.Title).toBe('bad \ufffd text');
    expect(validateFinding(finding)).toEqual([]);
  });

  it('never splits a surrogate pair in the GeneratorId', () => {
    // Act
    const finding = buildFinding(draft({ ruleId: '😀'.repeat(400) }), testScope(), FIXED_NOW);
    // Assert
    expect(finding.GeneratorId!.isWellFormed()).toBe(true);
    expect(finding.GeneratorId!.length).toBeLessThanOrEqual(LIMITS.generatorId);
  });
});
