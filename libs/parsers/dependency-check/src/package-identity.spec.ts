import type { DcDependency } from './model';
import { bestIdentifier, cpeProduct, packageIdentity, packageLabel, parseCpe, parsePurl, purlFromMavenCoordinates, purlFromOldStyleIdentifier } from './package-identity';
import { dependencyCheckParser } from './parser';
import { fixtureDoc } from './testing/helpers';

const dependency = (extra: Partial<DcDependency>): DcDependency => ({ isVirtual: false, packages: [], cpes: [], mavenCoordinates: [], related: [], vulnerabilities: [], ...extra });

describe('parsePurl', () => {
  it.each([
    ['pkg:maven/org.apache.logging.log4j/log4j-api@2.12.4', 'org.apache.logging.log4j:log4j-api', 'maven', '2.12.4'],
    ['pkg:npm/%40angular/core@1.0.0', '@angular/core', 'npm', '1.0.0'],
    ['pkg:golang/github.com/gogo/protobuf@1.1.1', 'github.com/gogo/protobuf', 'golang', '1.1.1'],
    ['pkg:javascript/jquery@1.10.2.min', 'jquery', 'javascript', '1.10.2.min'],
  ])('%s → %s', (purl, name, type, version) => {
    expect(parsePurl(purl)).toEqual({ canonical: purl, name, type, version });
  });

  it('returns undefined for text that is not a purl', () => {
    expect(parsePurl('jquery:1.10.2')).toBeUndefined();
  });
});

describe('parseCpe', () => {
  it('reads CPE 2.3 with escaped characters and CPE 2.2 URIs; * and - are no value', () => {
    expect(parseCpe('cpe:2.3:a:github.com\\/gogo:protobuf:1.1.1:*:*:*:*:*:*:*')).toEqual({ vendor: 'github.com/gogo', product: 'protobuf', version: '1.1.1' });
    expect(parseCpe('cpe:/a:apache:xalan-java:2.7.1')).toEqual({ vendor: 'apache', product: 'xalan-java', version: '2.7.1' });
    expect(parseCpe('cpe:2.3:a:netapp:max_data:-:*:*:*:*:*:*:*')).toEqual({ vendor: 'netapp', product: 'max_data' });
    expect(parseCpe('not-a-cpe')).toBeUndefined();
  });
});

describe('cpeProduct', () => {
  it('agrees with parseCpe, escaped or not', () => {
    for (const cpe of ['cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*', 'cpe:/a:apache:xalan-java:2.7.1', 'cpe:2.3:a:github.com\\/gogo:protobuf:1.1.1', 'cpe:2.3:a:x:a\\:b:1', 'cpe:2.3:a:vendor', 'cpe:2.3:a:v:*:1']) {
      expect(cpeProduct(cpe)).toBe(parseCpe(cpe)?.product);
    }
    expect(cpeProduct('cpe:2.3:a:x:a\\:b:1')).toBe('a:b');
  });
});

describe('purlFromMavenCoordinates', () => {
  it('turns group:artifact:version into a maven purl', () => {
    expect(purlFromMavenCoordinates('org.owasp:library:6.7.8')).toBe('pkg:maven/org.owasp/library@6.7.8');
    expect(purlFromMavenCoordinates('library:6.7.8')).toBeUndefined();
  });
});

describe('bestIdentifier', () => {
  it('picks the highest confidence, then the alphabetically first, whatever the order', () => {
    const ids = [
      { id: 'pkg:javascript/jquery-ui@1.10.4', confidence: 'HIGHEST' },
      { id: 'pkg:javascript/jquery-ui-dialog@1.10.4', confidence: 'HIGHEST' },
      { id: 'pkg:javascript/aaa@1', confidence: 'LOW' },
    ];
    expect(bestIdentifier(ids)?.id).toBe('pkg:javascript/jquery-ui-dialog@1.10.4');
    expect(bestIdentifier([...ids].reverse())?.id).toBe('pkg:javascript/jquery-ui-dialog@1.10.4');
    expect(bestIdentifier([])).toBeUndefined();
  });
});

describe('packageIdentity', () => {
  it('prefers a purl, then maven coordinates, then a CPE, then the file name', () => {
    const purl = { id: 'pkg:npm/lodash@4.17.15', confidence: 'HIGH' };
    const maven = { id: 'org.owasp:library:6.7.8' };
    const cpe = { id: 'cpe:2.3:a:eclipse:glassfish:1.0.3:*:*:*:*:*:*:*' };
    expect(packageIdentity(dependency({ packages: [purl], mavenCoordinates: [maven], cpes: [cpe] }))).toMatchObject({ kind: 'purl', key: 'pkg:npm/lodash@4.17.15', name: 'lodash', version: '4.17.15' });
    expect(packageIdentity(dependency({ mavenCoordinates: [maven], cpes: [cpe] }))).toMatchObject({ kind: 'purl', key: 'pkg:maven/org.owasp/library@6.7.8', name: 'org.owasp:library' });
    expect(packageIdentity(dependency({ cpes: [cpe], fileName: 'x.jar' }))).toMatchObject({ kind: 'cpe', key: cpe.id, name: 'glassfish', version: '1.0.3' });
    expect(packageIdentity(dependency({ fileName: 'x.jar' }))).toMatchObject({ kind: 'file', key: 'x.jar', name: 'x.jar' });
    expect(packageIdentity(dependency({}), 'lib/x.jar')).toMatchObject({ kind: 'file', key: 'lib/x.jar' });
  });

  it('keeps an unparseable purl as written', () => {
    expect(packageIdentity(dependency({ packages: [{ id: 'pkg:broken' }] }))).toMatchObject({ kind: 'purl', key: 'pkg:broken', name: 'pkg:broken' });
  });

  it('collects comparable product names from every identifier, with and without a trailing "js"', () => {
    const identity = packageIdentity(dependency({ packages: [{ id: 'pkg:javascript/underscore.js@1.10.2' }], cpes: [{ id: 'cpe:2.3:a:jqueryui:jquery_ui:1.10.4' }] }));
    expect(identity.productNames.sort()).toEqual(['jqueryui', 'underscore', 'underscorejs']);
  });
});

describe('packageLabel', () => {
  it('is name@version, or the name alone', () => {
    expect(packageLabel({ name: 'lodash', version: '4.17.15' })).toBe('lodash@4.17.15');
    expect(packageLabel({ name: 'x.jar' })).toBe('x.jar');
  });
});

describe('schema 1.x npm identifiers', () => {
  it('reads name and version from <identifier type="npm"><name>braces:1.8.5</name>, as newer schemas give them', () => {
    // Act
    const report = dependencyCheckParser.parse(fixtureDoc('schema-1.3-npm.xml'));
    const braces = report.drafts.find((d) => d.ruleId === '786')!;
    const traverse = report.drafts.find((d) => d.ruleId === 'CVE-2023-45133')!;

    // Assert
    expect(braces.vulnerabilities?.[0]?.VulnerablePackages?.[0]).toMatchObject({ Name: 'braces', Version: '1.8.5', PackageManager: 'npm' });
    expect(braces.location).toBe('pkg:npm/braces@1.8.5');
    expect(braces.title).toContain('braces@1.8.5');
    expect(traverse.vulnerabilities?.[0]?.VulnerablePackages?.[0]).toMatchObject({ Name: '@babel/traverse', Version: '7.22.5', PackageManager: 'npm' });
    expect(traverse.location).toBe('pkg:npm/%40babel/traverse@7.22.5');
  });

  it('builds purls only from old-style types it knows, with a version', () => {
    // Act
    const results = [
      purlFromOldStyleIdentifier('npm', 'braces:1.8.5'),
      purlFromOldStyleIdentifier('NuGet', 'Newtonsoft.Json:12.0.1'),
      purlFromOldStyleIdentifier('composer', 'guzzlehttp/guzzle:6.3.0'),
      purlFromOldStyleIdentifier('npm', 'braces'),
      purlFromOldStyleIdentifier('npm', 'braces:'),
      purlFromOldStyleIdentifier('generic', 'thing:1.0'),
      purlFromOldStyleIdentifier(undefined, 'thing:1.0'),
    ];

    // Assert
    expect(results).toEqual(['pkg:npm/braces@1.8.5', 'pkg:nuget/Newtonsoft.Json@12.0.1', 'pkg:composer/guzzlehttp/guzzle@6.3.0', undefined, undefined, undefined, undefined]);
  });
});
