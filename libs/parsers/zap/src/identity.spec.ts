import { alertKeys, siteKey, stripQuery } from './identity';
import type { ZapAlert } from './model';

function alert(overrides: Partial<ZapAlert>): ZapAlert {
  return { title: 'Alert', desc: '', solution: '', reference: '', otherInfo: '', instances: [], ...overrides };
}

describe('siteKey', () => {
  it('lower-cases scheme and host, drops default ports and trailing slashes, keeps other ports', () => {
    // Arrange
    const names = ['HTTPS://Example.COM:443/', 'http://example.com:80', 'http://example.com:8080/', 'not a url '];

    // Act
    const keys = names.map(siteKey);

    // Assert
    expect(keys).toEqual(['https://example.com', 'http://example.com', 'http://example.com:8080', 'not a url']);
  });
});

describe('stripQuery', () => {
  it('removes the query and the fragment', () => {
    // Arrange / Act / Assert
    expect(['https://a/b?c=1#d', 'https://a/b#d?x', 'https://a/b'].map(stripQuery)).toEqual(['https://a/b', 'https://a/b', 'https://a/b']);
  });
});

describe('alertKeys', () => {
  it('locates an alert alone in its site and rule at the bare site', () => {
    // Arrange
    const entries = [
      { siteName: 'https://a.example', ruleId: '10020', alert: alert({}) },
      { siteName: 'https://b.example', ruleId: '10020', alert: alert({}) },
    ];

    // Act
    const keys = alertKeys(entries);

    // Assert
    expect(keys).toEqual([
      { ruleId: '10020', location: 'https://a.example' },
      { ruleId: '10020', location: 'https://b.example' },
    ]);
  });

  it('labels same-rule alerts with the fewest properties that tell each apart', () => {
    // Arrange
    const site = 'https://a.example';
    const entries = [
      { siteName: site, ruleId: '10015', alert: alert({ title: 'Re-examine Cache-control Directives', riskCode: 0 }) },
      { siteName: site, ruleId: '10015', alert: alert({ title: 'Incomplete Cache-control', riskCode: 1, confidence: 2 }) },
      { siteName: site, ruleId: '10015', alert: alert({ title: 'Incomplete Cache-control', riskCode: 0, confidence: 2 }) },
      {
        siteName: site,
        ruleId: '10015',
        alert: alert({ title: 'Incomplete Cache-control', riskCode: 0, confidence: 2, instances: [{ uri: 'https://a.example/x', method: 'GET', param: 'Pragma', attack: '', evidence: '', otherInfo: '' }] }),
      },
    ];

    // Act
    const locations = alertKeys(entries).map((k) => k.location);

    // Assert
    expect(locations).toEqual([
      'https://a.example [title=re-examine cache-control directives]',
      'https://a.example [title=incomplete cache-control; risk=1]',
      'https://a.example [title=incomplete cache-control; risk=0; confidence=2; params=]',
      'https://a.example [title=incomplete cache-control; risk=0; confidence=2; params=pragma]',
    ]);
  });

  it('labels the same way whatever the order of the alerts', () => {
    // Arrange
    const site = 'https://a.example';
    const entries = ['B', 'A', 'C'].map((title) => ({ siteName: site, ruleId: '1', alert: alert({ title }) }));

    // Act
    const forward = alertKeys(entries).map((k) => k.location);
    const backward = alertKeys([...entries].reverse()).map((k) => k.location).reverse();

    // Assert
    expect(backward).toEqual(forward);
  });
});
