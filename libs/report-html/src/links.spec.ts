import { consoleUrl, cveUrl, cweUrl, repositoryUrl } from './links';

describe('links from validated identifiers only', () => {
  it('links CVE ids to NVD and CWE ids to MITRE, nothing else', () => {
    // Act
    const links = [cveUrl('CVE-2021-44228'), cveUrl('CVE-2021-44228"><script>'), cveUrl('javascript:alert(1)'), cweUrl('CWE-079'), cweUrl('CWE-79 x')];

    // Assert
    expect(links).toEqual(['https://nvd.nist.gov/vuln/detail/CVE-2021-44228', undefined, undefined, 'https://cwe.mitre.org/data/definitions/79.html', undefined]);
  });

  it('opens a finding in the Security Hub console of its partition, only for a real Region name', () => {
    // Act
    const commercial = consoleUrl('devsecops/zap/10038/abc', 'eu-west-1', 'aws');
    const gov = consoleUrl('devsecops/zap/10038/abc', 'us-gov-west-1', 'aws-us-gov');

    // Assert
    expect(commercial).toMatch(/^https:\/\/console\.aws\.amazon\.com\/securityhub\/home\?region=eu-west-1#\/findings\?search=Id/);
    expect(commercial).toContain(encodeURIComponent(encodeURIComponent('devsecops/zap/10038/abc')));
    expect(gov).toMatch(/^https:\/\/console\.amazonaws-us-gov\.com\//);
    expect(consoleUrl('x', 'eu-west-1/../../evil', 'aws')).toBeUndefined();
  });

  it('builds file:line links from an https template, with each path segment encoded', () => {
    // Arrange
    const template = 'https://github.com/hospital/patient-portal/blob/{commit}/{path}#L{line}';

    // Act
    const good = repositoryUrl(template, { path: 'src/Controller/Patient Controller.php', line: 42, commit: 'a11ce0de' });
    const noLine = repositoryUrl(template, { path: 'composer.lock', commit: 'a11ce0de' });

    // Assert
    expect(good).toBe('https://github.com/hospital/patient-portal/blob/a11ce0de/src/Controller/Patient%20Controller.php#L42');
    expect(noLine).toBe('https://github.com/hospital/patient-portal/blob/a11ce0de/composer.lock');
  });

  it('refuses paths and templates that could leave the repository or the https scheme', () => {
    // Act
    const refused = [
      repositoryUrl('https://git.example/{path}', { path: '../../etc/passwd' }),
      repositoryUrl('https://git.example/{path}', { path: '/abs/file' }),
      repositoryUrl('https://git.example/{path}', { path: 'a/"onmouseover="x' }),
      repositoryUrl('http://git.example/{path}', { path: 'a.php' }),
      repositoryUrl('javascript:alert(1)//{path}', { path: 'a.php' }),
      repositoryUrl('https://git.example/{commit}/{path}', { path: 'a.php', commit: 'main;rm' }),
      repositoryUrl(undefined, { path: 'a.php' }),
    ];

    // Assert
    expect(refused).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
