import { reportForOrigin } from './report';

const report = (sites: unknown) =>
  JSON.stringify({ '@programName': 'ZAP', '@version': '2.16.0', site: sites, statistics: { 'stats.x': 1 } });

describe('reportForOrigin', () => {
  it('keeps the sites of the target origin (default port or not) and every other top-level key', () => {
    // Arrange
    const text = report([
      { '@name': 'https://staging.example.com', alerts: [{}, {}] },
      { '@name': 'https://staging.example.com:443', alerts: [{}] },
      { '@name': 'http://staging.example.com', alerts: [{}, {}, {}] },
      { '@name': 'https://old.example.com', alerts: [{}] },
    ]);

    // Act
    const result = reportForOrigin(text, 'https://staging.example.com');

    // Assert
    expect(result.alerts).toBe(3);
    expect(result.droppedSites).toEqual(['http://staging.example.com', 'https://old.example.com']);
    expect(result.report).toMatchObject({ '@version': '2.16.0', statistics: { 'stats.x': 1 } });
    expect((result.report.site as unknown[]).length).toBe(2);
  });

  it('accepts a single site object and an empty alerts value', () => {
    // Arrange
    const text = report({ '@name': 'https://staging.example.com', alerts: '' });

    // Act
    const result = reportForOrigin(text, 'https://staging.example.com');

    // Assert
    expect(result.alerts).toBe(0);
    expect(result.report.site).toEqual([{ '@name': 'https://staging.example.com', alerts: '' }]);
  });

  it.each([
    ['not JSON', '<html>', 'the JSON report is not valid JSON (6 characters)'],
    ['no site list', '{"@version":"2.16.0"}', 'the JSON report has no "site" list'],
    ['no target site', report([{ '@name': 'https://old.example.com' }]), 'the report has no site https://staging.example.com (it has: https://old.example.com)'],
  ])('fails clearly for %s', (_name, text, message) => {
    // Arrange / Act
    const read = () => reportForOrigin(text, 'https://staging.example.com');

    // Assert
    expect(read).toThrow(message);
  });
});
