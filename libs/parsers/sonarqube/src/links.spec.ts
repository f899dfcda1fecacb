import { ComponentIndex } from './components';
import { hotspotUrl, issueUrl, normaliseServerUrl, ruleUrl } from './links';

describe('normaliseServerUrl', () => {
  it.each([
    ['https://sonar.example.com/', 'https://sonar.example.com'],
    ['http://10.0.0.5:9000', 'http://10.0.0.5:9000'],
    ['https://example.com/sonar//?x=1#y', 'https://example.com/sonar'],
    ['https://user:secret@sonar.example.com', 'https://sonar.example.com'],
  ])('%s → %s', (raw, url) => {
    expect(normaliseServerUrl(raw)).toBe(url);
  });

  it.each(['', 'sonar.example.com', 'ftp://sonar', 'javascript:alert(1)', undefined])('rejects %p', (raw) => {
    expect(normaliseServerUrl(raw)).toBeUndefined();
  });
});

describe('issue and hotspot links', () => {
  it('builds the SonarQube UI links, encoded, with a pull request ahead of a branch', () => {
    expect(issueUrl('https://s', { project: 'a:b', key: 'K-1' })).toBe('https://s/project/issues?id=a%3Ab&open=K-1');
    expect(hotspotUrl('https://s', { project: 'p', key: 'H', branch: 'main', pullRequest: '42' })).toBe('https://s/security_hotspots?id=p&hotspots=H&pullRequest=42');
  });
});

describe('ruleUrl', () => {
  it('links SonarSource S-rules to rules.sonarsource.com', () => {
    expect(ruleUrl('typescript:S5542', undefined)).toBe('https://rules.sonarsource.com/typescript/RSPEC-5542/');
    expect(ruleUrl('csharpsquid:S2077', 'https://s')).toBe('https://rules.sonarsource.com/csharp/RSPEC-2077/');
    expect(ruleUrl('Web:S5254', undefined)).toBe('https://rules.sonarsource.com/html/RSPEC-5254/');
  });

  it('links other rules to the server, or nowhere without a server', () => {
    expect(ruleUrl('Web:TableWithoutCaptionCheck', 'https://s')).toBe('https://s/coding_rules?open=Web%3ATableWithoutCaptionCheck&rule_key=Web%3ATableWithoutCaptionCheck');
    expect(ruleUrl('Web:TableWithoutCaptionCheck', undefined)).toBeUndefined();
  });
});

describe('ComponentIndex.pathOf', () => {
  const index = new ComponentIndex(['/builds/acme/shop']);
  index.add([
    { key: 'shop', qualifier: 'TRK' },
    { key: 'anon-key', qualifier: 'FIL', path: 'src/real/path.html' },
    { key: 'shop:abs', qualifier: 'FIL', path: '/builds/acme/shop/src/a.ts' },
    'junk',
  ]);

  it.each([
    ['anon-key', 'shop', 'src/real/path.html'],
    ['shop:abs', 'shop', 'src/a.ts'],
    ['shop:src/b.ts', 'shop', 'src/b.ts'],
    ['org.acme:web:src/c.ts', 'org.acme:web', 'src/c.ts'],
    ['org.acme:web:src/d.ts', undefined, 'src/d.ts'],
    ['shop', 'shop', undefined],
    ['shop', undefined, undefined],
    [undefined, 'shop', undefined],
  ])('%s in project %s → %s', (component, project, path) => {
    expect(index.pathOf(component, project)).toBe(path);
  });
});
