import * as z from 'zod';
import { branchFromSourceVersion, parseReportObjectKey, reportObjectKey, repositoryFromUrl, scanEventSchema } from './events';

const schema = scanEventSchema({ repository: 'fallback-repo', branch: 'develop' });
const parse = (event: unknown) => schema.parse(event);
const issues = (event: unknown) => {
  const result = schema.safeParse(event);
  return result.success ? 'parsed' : z.prettifyError(result.error);
};

describe('scanEventSchema', () => {
  it('reads a direct invoke with an S3 pointer', () => {
    // Act
    const request = parse({ tool: 'Dependency-Check', repository: 'hospital/portal', branch: 'main', commit: 'abc', buildId: 'sca:1', report: { bucket: 'reports', key: 'k.json' }, failOn: 'critical' });
    // Assert
    expect(request).toEqual({
      origin: 'direct',
      tool: 'dependency-check',
      repository: 'hospital/portal',
      branch: 'main',
      commit: 'abc',
      buildId: 'sca:1',
      report: { kind: 's3', bucket: 'reports', key: 'k.json' },
      failOn: 'CRITICAL',
      target: undefined,
    });
  });

  it('carries the build\'s warnings (e.g. Dependency-Check exit 14) into the request', () => {
    // Act
    const request = parse({ repository: 'r', branch: 'b', report: { bucket: 'reports', key: 'k.json' }, warnings: ['Dependency-Check exited 14: analyzer errors'] });
    // Assert
    expect(request).toMatchObject({ origin: 'direct', warnings: ['Dependency-Check exited 14: analyzer errors'] });
  });

  it('marks a partial scan (partialScan: true) and leaves it out otherwise', () => {
    expect(parse({ repository: 'r', branch: 'b', report: { bucket: 'x', key: 'k' }, partialScan: true })).toMatchObject({ partialScan: true });
    expect(parse({ repository: 'r', branch: 'b', report: { bucket: 'x', key: 'k' }, partialScan: false })).not.toHaveProperty('partialScan');
  });

  it('refuses unbounded build warnings', () => {
    expect(issues({ repository: 'r', branch: 'b', report: { bucket: 'x', key: 'k' }, warnings: Array.from({ length: 51 }, () => 'w') })).toContain('warnings');
    expect(issues({ repository: 'r', branch: 'b', report: { bucket: 'x', key: 'k' }, warnings: ['x'.repeat(1001)] })).toContain('warnings');
    expect(parse({ repository: 'r', branch: 'b', report: { bucket: 'x', key: 'k' }, warnings: [] })).not.toHaveProperty('warnings');
  });

  it('reads a direct invoke with an inline report and detects the tool', () => {
    // Act
    const request = parse({ repository: 'r', branch: 'b', report: { runs: [] } });
    // Assert
    expect(request).toMatchObject({ origin: 'direct', tool: 'auto', report: { kind: 'inline', report: { runs: [] } } });
  });

  it('reads the AWS reference pipeline event and maps its reportType', () => {
    // Act
    const request = parse({
      messageType: 'CodeScanReport',
      reportType: 'OWASP-Dependency-Check',
      createdAt: '2021-01-20T10:00:00.123Z',
      source_repository: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/patient-portal',
      source_branch: 'arn:aws:s3:::pipeline-artifacts/SourceArti/abc.zip',
      source_commitid: '3f2c1a',
      build_id: 'sca-project:1234-5678',
      report: { dependencies: [] },
    });
    // Assert
    expect(request).toMatchObject({
      origin: 'reference-pipeline',
      tool: 'dependency-check',
      repository: 'patient-portal',
      branch: 'develop',
      commit: '3f2c1a',
      buildId: 'sca-project:1234-5678',
    });
  });

  it.each([
    ['SONAR-QUBE', 'sonarqube'],
    ['phpstan', 'phpstan'],
    ['OWASP-Zap', 'zap'],
  ])('accepts reportType %s case-insensitively as %s', (reportType, tool) => {
    expect(parse({ messageType: 'CodeScanReport', reportType, report: {} })).toMatchObject({ tool });
  });

  it('ignores reference events that are not CodeScanReport, as the original did', () => {
    expect(parse({ messageType: 'Heartbeat', reportType: 'x', report: {} })).toEqual({ origin: 'ignored', reason: 'messageType "Heartbeat" is not CodeScanReport' });
  });

  it('reads an EventBridge S3 Object Created event whose key carries the scan identity', () => {
    // Arrange
    const key = reportObjectKey({ tool: 'zap', repository: 'hospital/portal', branch: 'feature/x y', commit: 'c0ffee', buildId: 'dast:42', fileName: 'zap.json' });
    const event = {
      version: '0',
      id: 'e',
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '123456789012',
      time: '2026-11-22T10:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:s3:::reports'],
      detail: { version: '0', bucket: { name: 'reports' }, object: { key, size: 10 }, 'request-id': 'r', requester: '123456789012' },
    };
    // Act
    const request = parse(event);
    // Assert
    expect(request).toMatchObject({ origin: 's3-event', tool: 'zap', repository: 'hospital/portal', branch: 'feature/x y', commit: 'c0ffee', buildId: 'dast:42', report: { kind: 's3', bucket: 'reports', key } });
  });

  it.each([
    [{ repository: 'r', branch: 'b' }, /report/],
    [{ repository: '', branch: 'b', report: {} }, /repository/],
    [{ repository: 'r', branch: 'b', report: {}, tool: 'trivy' }, /unknown tool "trivy"/],
    [{ repository: 'r', branch: 'b', report: {}, failOn: 'SEVERE' }, /failOn must be NONE, INFORMATIONAL/],
    [{ messageType: 'CodeScanReport', reportType: 'Checkmarx', report: {} }, /unknown reportType "Checkmarx"/],
    [{ messageType: 'CodeScanReport', reportType: 'PHPStan' }, /report/],
  ])('explains what is wrong with %j', (event, pattern) => {
    expect(issues(event)).toMatch(pattern);
  });

  it('explains a report key outside the documented layout', () => {
    expect(parseReportObjectKey('uploads/report.json')).toMatch(/does not follow reports\/<tool>\/<repository>/);
  });
});

describe('repositoryFromUrl and branchFromSourceVersion', () => {
  it.each([
    ['https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/portal', 'portal'],
    ['https://github.com/hospital/portal.git', 'hospital/portal'],
    ['git@github.com:hospital/portal.git', 'hospital/portal'],
    ['portal', 'portal'],
    ['', undefined],
  ])('names the repository of %s', (url, name) => {
    expect(repositoryFromUrl(url)).toBe(name);
  });

  it('takes branch names but not pipeline artifact references or commits', () => {
    expect(branchFromSourceVersion('refs/heads/release/2.1')).toBe('release/2.1');
    expect(branchFromSourceVersion('arn:aws:s3:::bucket/key')).toBeUndefined();
    expect(branchFromSourceVersion('0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
  });
});

describe('scan identity in events', () => {
  it('reads category, complete, scanner errors and the workload account of a direct invoke', () => {
    // act
    const request = parse({ repository: 'r', branch: 'b', report: { runs: [] }, category: ' backend ', complete: false, scannerErrors: ['exit 2'], account: '210987654321' });
    // assert
    expect(request).toMatchObject({ category: 'backend', complete: false, scannerErrors: ['exit 2'], account: '210987654321' });
  });

  it('reads the importRoleArn the pipeline stack sends (with the category the buildspec sends)', () => {
    // act: the payload apps/infra's buildspec builds from SCAN_CATEGORY and IMPORT_ROLE_ARN
    const role = 'arn:aws:iam::210987654321:role/devsecops-securityhub-import';
    const request = parse({ repository: 'r', branch: 'b', report: { runs: [] }, category: 'semgrep', importRoleArn: role });
    // assert
    expect(request).toMatchObject({ category: 'semgrep', importRoleArn: role });
    expect(issues({ repository: 'r', branch: 'b', report: {}, importRoleArn: 'devsecops-import' })).toMatch(/importRoleArn must be an IAM role ARN/);
  });

  it('refuses an account that is not 12 digits', () => {
    expect(issues({ repository: 'r', branch: 'b', report: {}, account: '1234' })).toMatch(/account must be a 12-digit AWS account id/);
  });

  it('puts the category in the report key before the file name, and reads both key forms', () => {
    // act
    const key = reportObjectKey({ tool: 'sarif', repository: 'hospital/portal', branch: 'main', commit: 'c1', buildId: 'b:1', category: 'frontend', fileName: 'semgrep.sarif' });
    // assert
    expect(key).toBe('reports/sarif/hospital%2Fportal/main/c1/b%3A1/frontend/semgrep.sarif');
    expect(parseReportObjectKey(key)).toMatchObject({ tool: 'sarif', repository: 'hospital/portal', commit: 'c1', buildId: 'b:1', category: 'frontend' });
    expect(parseReportObjectKey('reports/sarif/r/main/c1/b1/semgrep.sarif')).not.toHaveProperty('category');
  });
});
