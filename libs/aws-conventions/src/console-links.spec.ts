import { consoleHost, findingConsoleUrl, pipelineConsoleUrl } from './console-links';

describe('console links', () => {
  it.each([
    ['aws', 'console.aws.amazon.com'],
    ['aws-us-gov', 'console.amazonaws-us-gov.com'],
    ['aws-cn', 'console.amazonaws.cn'],
  ] as const)('uses the %s console domain', (partition, host) => {
    expect(consoleHost(partition)).toBe(host);
    expect(findingConsoleUrl('x', 'r', partition)).toMatch(new RegExp(`^https://${host.replace(/\./g, '\\.')}/securityhub/`));
  });

  it('links a finding by its Id, encoded twice as the console expects', () => {
    // Act
    const url = findingConsoleUrl('devsecops/sonarqube/php:S2077/ab12', 'us-gov-west-1', 'aws-us-gov');
    // Assert
    expect(url).toBe(
      'https://console.amazonaws-us-gov.com/securityhub/home?region=us-gov-west-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253Adevsecops%252Fsonarqube%252Fphp%253AS2077%252Fab12',
    );
  });

  it('links a pipeline page', () => {
    expect(pipelineConsoleUrl('my pipeline', 'cn-north-1', 'aws-cn')).toBe(
      'https://console.amazonaws.cn/codesuite/codepipeline/pipelines/my%20pipeline/view?region=cn-north-1',
    );
  });
});
