import { scanCategory } from './convert';
import { incompleteReasons } from './ingest';

describe('scanCategory', () => {
  it('takes the given category, else for ZAP the target origin (kept out of the Ids), else none', () => {
    expect(scanCategory({ category: 'api', target: 'https://staging.example/x' }, 'zap')).toEqual({ category: 'api' });
    expect(scanCategory({ target: 'https://staging.example/x' }, 'zap')).toEqual({ category: 'https://staging.example', categoryFromTarget: true });
    expect(scanCategory({ target: 'https://staging.example/x' }, 'semgrep')).toEqual({});
    expect(scanCategory({ category: '  ' }, 'semgrep')).toEqual({});
  });
});

describe('incompleteReasons', () => {
  it('collects why a scan is not whole: the event, the scanner, the parser', () => {
    expect(incompleteReasons({})).toEqual([]);
    expect(incompleteReasons({ complete: true, scannerErrors: [' '] })).toEqual([]);
    expect(incompleteReasons({ complete: false, scannerErrors: ['exit code 2'] }, ['the report stops mid-file'])).toEqual([
      'the event says complete: false',
      'scanner error: exit code 2',
      'the report stops mid-file',
    ]);
  });
});
