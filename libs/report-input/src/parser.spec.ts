import type { ReportDocument } from './document';
import { selectParser, type ReportParser } from './parser';

const doc: ReportDocument = { source: 'x.json', format: 'json', value: { runs: [] }, encoding: 'utf-8', skippedPrefix: 0, bytes: 10 };
const fake = (id: ReportParser['id'], matches: boolean): ReportParser => ({
  id,
  displayName: id.toUpperCase(),
  detect: () => matches,
  parse: () => ({ tool: id, drafts: [], warnings: [] }),
});

describe('selectParser', () => {
  it('detects the format from the content', () => {
    expect(selectParser(doc, [fake('zap', false), fake('sarif', true)]).id).toBe('sarif');
  });

  it('says clearly when no parser reads the document', () => {
    expect(() => selectParser(doc, [fake('zap', false)])).toThrow('x.json: is not a report format this function reads (ZAP)');
  });

  it('says a named tool is not supported here, and rejects unknown tools', () => {
    expect(() => selectParser(doc, [fake('zap', false)], 'sarif')).toThrow('sarif reports are not supported by this function');
    expect(() => selectParser(doc, [fake('zap', false)], 'trivy' as never)).toThrow('unknown tool "trivy"');
  });
});
