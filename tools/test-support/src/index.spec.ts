import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateFinding, buildFinding } from '@devsecops/asff';
import { checkFindings, sharedFixtures, testScope, FIXED_NOW } from './index';

describe('sharedFixtures', () => {
  const saved = process.env.SHARED_FIXTURES_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.SHARED_FIXTURES_DIR;
    else process.env.SHARED_FIXTURES_DIR = saved;
  });

  it('lists one tool\'s reports, sorted, without READMEs', () => {
    // Arrange
    const root = mkdtempSync(join(tmpdir(), 'corpus-'));
    mkdirSync(join(root, 'zap'));
    for (const name of ['b.json', 'a.xml', 'README.md']) writeFileSync(join(root, 'zap', name), '{}');
    process.env.SHARED_FIXTURES_DIR = root;
    // Act / Assert
    expect(sharedFixtures('zap')).toEqual([join(root, 'zap', 'a.xml'), join(root, 'zap', 'b.json')]);
    expect(sharedFixtures('sarif')).toEqual([]);
  });

  it('returns nothing on a clone without the corpus', () => {
    process.env.SHARED_FIXTURES_DIR = join(tmpdir(), 'does-not-exist-corpus');
    expect(sharedFixtures('zap')).toEqual([]);
  });
});

describe('checkFindings', () => {
  it('reports duplicate Ids and invalid findings', () => {
    // Arrange
    const draft = { ruleId: 'r', location: 'l', title: 't', description: 'd', severity: { label: 'LOW' as const, original: 'low' }, resources: [] };
    // Act
    const result = checkFindings({ tool: 'x', drafts: [draft, draft], warnings: [] });
    // Assert
    expect(result.duplicateIds).toHaveLength(1);
    expect(result.problems).toEqual([]);
    expect(validateFinding(buildFinding(draft, testScope(), FIXED_NOW))).toEqual([]);
  });
});
