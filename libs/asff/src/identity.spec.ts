import { FIXED_NOW, testScope } from '@devsecops/test-support';
import { buildFinding } from './build';
import { categoryForTarget, findingId, normalizeCategory } from './identity';
import { FIELD } from './product-fields';
import type { FindingDraft } from './types';

const draft: FindingDraft = {
  ruleId: 'javascript.express.security.audit.xss',
  location: 'src/app.js',
  title: 'XSS',
  description: 'Reflected XSS',
  severity: { label: 'HIGH', original: 'ERROR' },
  resources: [{ Type: 'Other', Id: 'src/app.js' }],
};

describe('scan identity: category', () => {
  it('keeps the Id and content hash of a scan without a category exactly as before', () => {
    // arrange: the Id main's findingId produced before categories existed (computed with that code)
    const scope = testScope({ tool: 'semgrep', repository: 'hospital/portal', branch: 'main' });
    // act
    const id = findingId(scope, draft);
    const blank = findingId({ ...scope, category: '  ' }, draft);
    // assert
    expect(id).toBe('devsecops/semgrep/javascript.express.security.audit.xss/f74c6a1c7a0609a4c47a6a9386062e14ed314b45');
    expect(blank).toBe(id);
    const finding = buildFinding(draft, scope, FIXED_NOW);
    expect(finding.ProductFields?.[FIELD.category]).toBeUndefined();
  });

  it('gives two categories of one tool, repository and branch different Ids and a Category field', () => {
    // arrange
    const scope = testScope({ tool: 'semgrep' });
    // act
    const backend = buildFinding(draft, { ...scope, category: 'backend' }, FIXED_NOW);
    const frontend = buildFinding(draft, { ...scope, category: 'frontend' }, FIXED_NOW);
    const none = buildFinding(draft, scope, FIXED_NOW);
    // assert
    expect(new Set([backend.Id, frontend.Id, none.Id]).size).toBe(3);
    expect(backend.ProductFields?.[FIELD.category]).toBe('backend');
    expect(backend.ProductFields?.[FIELD.contentHash]).not.toBe(none.ProductFields?.[FIELD.contentHash]);
  });

  it('leaves a category derived from the DAST target out of the Id but scopes the finding with it', () => {
    // arrange
    const scope = testScope({ tool: 'zap', target: 'https://staging.example/app' });
    // act
    const derived = buildFinding(draft, { ...scope, category: 'https://staging.example', categoryFromTarget: true }, FIXED_NOW);
    const plain = buildFinding(draft, scope, FIXED_NOW);
    // assert
    expect(derived.Id).toBe(plain.Id);
    expect(derived.ProductFields?.[FIELD.category]).toBe('https://staging.example');
  });

  it('derives the DAST category from the target origin', () => {
    expect(categoryForTarget('https://Staging.Example:8443/login?x=1')).toBe('https://staging.example:8443');
    expect(categoryForTarget('not a url')).toBeUndefined();
    expect(categoryForTarget(undefined)).toBeUndefined();
    expect(normalizeCategory(' api ')).toBe('api');
  });
});
