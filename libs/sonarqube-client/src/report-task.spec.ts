import { parseReportTask } from './ce-task';
import { SonarQubeError } from './errors';

describe('parseReportTask', () => {
  it('reads the file sonar-scanner writes to .scannerwork/report-task.txt', () => {
    const text = [
      'projectKey=acme:shop',
      'serverUrl=https://sonar.example.com',
      'serverVersion=10.6.0.92116',
      'branch=release/2.0',
      'dashboardUrl=https://sonar.example.com/dashboard?id=acme%3Ashop&branch=release%2F2.0',
      'ceTaskId=AYz1b2c3d4e5f6',
      'ceTaskUrl=https://sonar.example.com/api/ce/task?id=AYz1b2c3d4e5f6',
      '',
    ].join('\r\n');

    expect(parseReportTask(text)).toEqual({
      projectKey: 'acme:shop',
      serverUrl: 'https://sonar.example.com',
      serverVersion: '10.6.0.92116',
      branch: 'release/2.0',
      pullRequest: undefined,
      dashboardUrl: 'https://sonar.example.com/dashboard?id=acme%3Ashop&branch=release%2F2.0',
      ceTaskId: 'AYz1b2c3d4e5f6',
      ceTaskUrl: 'https://sonar.example.com/api/ce/task?id=AYz1b2c3d4e5f6',
    });
  });

  it('undoes properties escapes and skips comments', () => {
    expect(parseReportTask('#Mon Nov 02 2026\nserverUrl=http\\://localhost\\:9000\nceTaskId = AX1\n')).toMatchObject({ serverUrl: 'http://localhost:9000', ceTaskId: 'AX1' });
  });

  it('fails clearly without a ceTaskId', () => {
    expect(() => parseReportTask('projectKey=x\n')).toThrow(SonarQubeError);
    expect(() => parseReportTask('projectKey=x\n')).toThrow('report-task.txt has no ceTaskId line: did the scanner upload the analysis?');
  });
});
