import { emptyCounts } from '@devsecops/asff';
import { knownFindings, scanFinding } from './__fixtures__/findings';
import { activeRows, compareTools, countsByTool, toRow, totalCounts } from './findings-view';

describe('findings view', () => {
  it('keeps only ACTIVE, unsuppressed findings, most severe first, ties by tool in pipeline order', () => {
    // Arrange
    const archived = { ...scanFinding('zap', 10, 'CRITICAL'), RecordState: 'ARCHIVED' as const };
    const suppressed = { ...scanFinding('zap', 11, 'CRITICAL'), Workflow: { Status: 'SUPPRESSED' as const } };
    // Act
    const rows = activeRows([...knownFindings(), archived, suppressed]);
    // Assert
    expect(rows.map((r) => `${r.severity} ${r.tool}`)).toEqual([
      'CRITICAL dependency-check',
      'HIGH dependency-check',
      'HIGH dependency-check',
      'HIGH semgrep',
      'MEDIUM zap',
      'LOW zap',
    ]);
  });

  it('shows the vulnerable package and version as the resource, else the first resource', () => {
    // Arrange
    const pkg = { ...scanFinding('dependency-check', 1, 'HIGH'), Vulnerabilities: [{ Id: 'CVE-2020-8203', VulnerablePackages: [{ Name: 'lodash', Version: '4.17.15' }] }] };
    const file = { ...scanFinding('semgrep', 2, 'HIGH'), Resources: [{ Type: 'Other', Id: 'src/Dao.java' }] };
    // Act / Assert
    expect(toRow(pkg).resource).toBe('lodash@4.17.15');
    expect(toRow(file).resource).toBe('src/Dao.java');
  });

  it('takes the tool from devsecops/Tool, else the product name (control findings, alerts of other products)', () => {
    // Arrange
    const control = { ...scanFinding('x', 1, 'CRITICAL'), ProductFields: {}, ProductName: 'Security Hub' };
    // Act / Assert
    expect(toRow(control).tool).toBe('Security Hub');
  });

  it('counts by tool and severity, scanners in pipeline order, then other products by name', () => {
    // Arrange
    const rows = activeRows([...knownFindings(), { ...scanFinding('x', 9, 'CRITICAL'), ProductFields: {}, ProductName: 'Security Hub' }]);
    // Act
    const table = countsByTool(rows);
    const total = totalCounts(table);
    // Assert
    expect(table.map((t) => [t.tool, t.total])).toEqual([
      ['dependency-check', 3],
      ['semgrep', 1],
      ['zap', 2],
      ['Security Hub', 1],
    ]);
    expect(table[0]!.counts).toEqual({ ...emptyCounts(), CRITICAL: 1, HIGH: 2 });
    expect(total).toEqual({ tool: 'total', total: 7, counts: { INFORMATIONAL: 0, LOW: 1, MEDIUM: 1, HIGH: 3, CRITICAL: 2 } });
  });

  it('orders tools: the scanners as the pipeline runs them, others alphabetically after them', () => {
    // Act
    const sorted = ['zap', 'cloudtrail-alerter', 'semgrep', 'Security Hub', 'dependency-check'].sort(compareTools);
    // Assert
    expect(sorted).toEqual(['dependency-check', 'semgrep', 'zap', 'cloudtrail-alerter', 'Security Hub']);
  });
});
