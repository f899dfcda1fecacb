import fc from 'fast-check';
import {
  MAX_RESULTS,
  componentParameterFor,
  creationBoundParams,
  formatSonarDateTime,
  hasNextPage,
  hotspotSearchParams,
  hotspotProjectParameterFor,
  issueSearchParams,
  parseSonarDateTime,
  splitHotspotSlice,
  splitIssueSlice,
  type CreationBounds,
  type IssueSlice,
} from './plan';

const project = { projectKey: 'acme:shop' };
const query = { componentParameter: 'componentKeys' as const, includeResolved: true };

describe('dates', () => {
  it('formats epoch seconds as a SonarQube datetime and reads it back', () => {
    expect(formatSonarDateTime(1_700_000_000)).toBe('2023-11-14T22:13:20+0000');
    expect(parseSonarDateTime('2023-11-14T22:13:20+0000')).toBe(1_700_000_000);
    expect(parseSonarDateTime('2026-01-22T07:45:34+0100')).toBe(parseSonarDateTime('2026-01-22T06:45:34+0000'));
    expect(parseSonarDateTime('yesterday')).toBeUndefined();
    expect(parseSonarDateTime(12)).toBeUndefined();
  });
});

describe('componentParameterFor', () => {
  it.each([
    ['8.9.10.61524', 'componentKeys'],
    ['9.9.4', 'componentKeys'],
    ['10.1.0', 'componentKeys'],
    ['10.2.1', 'components'],
    ['10.8.0', 'components'],
    ['2025.1.0.102418', 'components'],
    [undefined, 'componentKeys'],
    ['weird', 'componentKeys'],
  ])('%s → %s', (version, parameter) => {
    expect(componentParameterFor(version)).toBe(parameter);
  });
});

describe('search parameters', () => {
  it('asks one page of a slice, oldest first, with comments', () => {
    const slice: IssueSlice = { createdAfter: 1_700_000_000, createdBefore: 1_700_086_400, severity: 'MAJOR', type: 'BUG' };

    expect(issueSearchParams({ ...project, pullRequest: '7', branch: 'ignored' }, slice, 3, 500, { ...query, includeResolved: false })).toEqual({
      componentKeys: 'acme:shop',
      pullRequest: '7',
      additionalFields: 'comments',
      s: 'CREATION_DATE',
      asc: 'true',
      p: '3',
      ps: '500',
      resolved: 'false',
      createdAfter: '2023-11-14T22:13:20+0000',
      createdBefore: '2023-11-15T22:13:20+0000',
      severities: 'MAJOR',
      types: 'BUG',
    });
  });

  it('applies a types filter unless the slice narrows the type', () => {
    expect(issueSearchParams(project, {}, 1, 500, { ...query, types: ['VULNERABILITY', 'BUG'] }).types).toBe('VULNERABILITY,BUG');
    expect(issueSearchParams(project, { type: 'BUG' }, 1, 500, { ...query, types: ['VULNERABILITY', 'BUG'] }).types).toBe('BUG');
  });

  it('finds the newest issue with a one-issue descending query', () => {
    expect(creationBoundParams(project, false, query)).toMatchObject({ p: '1', ps: '1', s: 'CREATION_DATE', asc: 'false' });
  });

  it.each([
    [undefined, 'projectKey'],
    ['9.9.4.87374', 'projectKey'],
    ['10.1.0.73491', 'projectKey'],
    ['10.2.0.77647', 'project'],
    ['2025.1.0.102418', 'project'],
  ])('names the hotspots project parameter for server version %s: %s', (version, expected) => {
    expect(hotspotProjectParameterFor(version)).toBe(expected);
    expect(hotspotSearchParams(project, {}, 1, 500, hotspotProjectParameterFor(version))).toHaveProperty(expected, 'acme:shop');
  });

  it('builds hotspot pages per project, branch and review status', () => {
    expect(hotspotSearchParams({ ...project, branch: 'dev' }, { status: 'REVIEWED', resolution: 'SAFE' }, 2, 500, 'project')).toEqual({
      project: 'acme:shop',
      branch: 'dev',
      status: 'REVIEWED',
      resolution: 'SAFE',
      p: '2',
      ps: '500',
    });
  });
});

describe('hasNextPage', () => {
  it.each([
    [1, 500, 500, 1_234, true],
    [3, 500, 234, 1_234, false],
    [1, 500, 0, 1_234, false],
    [2, 500, 500, 1_000, false],
    [19, 500, 500, 10_000, true],
    [20, 500, 500, 10_000, false],
    [20, 500, 500, 25_000, false],
  ])('page %i × %i, %i received, total %i → %s', (page, size, received, total, next) => {
    expect(hasNextPage(page, size, received, total)).toBe(next);
  });

  it('never leads past the 10,000-result window, whatever the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 10_000_000 }), (size, total) => {
        let page = 1;
        while (hasNextPage(page, size, size, total)) page += 1;
        // Never past the window, and stopped only at the total or at the window's end.
        expect(page * size).toBeLessThanOrEqual(MAX_RESULTS);
        expect(page * size).toBeGreaterThanOrEqual(Math.min(total, MAX_RESULTS - size + 1));
      }),
    );
  });
});

describe('splitIssueSlice', () => {
  const bounds: CreationBounds = { earliest: 1_000, latest: 2_000 };

  it('halves the creation window, keeping the outer ends open', () => {
    expect(splitIssueSlice({}, bounds)).toEqual([{ createdBefore: 1_500 }, { createdAfter: 1_500 }]);
    expect(splitIssueSlice({ createdAfter: 1_500 }, bounds)).toEqual([
      { createdAfter: 1_500, createdBefore: 1_750 },
      { createdAfter: 1_750 },
    ]);
  });

  it('splits a one-second window by severity, then by type, then gives up', () => {
    const second = { createdAfter: 1_000, createdBefore: 1_001 };

    expect(splitIssueSlice(second, bounds)?.map((s) => s.severity)).toEqual(['BLOCKER', 'CRITICAL', 'MAJOR', 'MINOR', 'INFO']);
    expect(splitIssueSlice({ ...second, severity: 'MAJOR' }, bounds)?.map((s) => s.type)).toEqual(['VULNERABILITY', 'BUG', 'CODE_SMELL']);
    expect(splitIssueSlice({ ...second, severity: 'MAJOR' }, bounds, ['VULNERABILITY', 'BUG'])?.map((s) => s.type)).toEqual(['VULNERABILITY', 'BUG']);
    expect(splitIssueSlice({ ...second, severity: 'MAJOR', type: 'BUG' }, bounds)).toBeUndefined();
    expect(splitIssueSlice({ ...second, severity: 'MAJOR' }, bounds, ['BUG'])).toBeUndefined();
  });

  /** Whether an issue (creation second, severity, type) falls into a slice. */
  const inSlice = (s: IssueSlice, t: number, severity: string, type: string) =>
    (s.createdAfter === undefined || t >= s.createdAfter) &&
    (s.createdBefore === undefined || t < s.createdBefore) &&
    (!s.severity || s.severity === severity) &&
    (!s.type || s.type === type);

  it('property: repeated splitting keeps every issue in exactly one slice', () => {
    const issue = fc.tuple(fc.integer({ min: 0, max: 4_000 }), fc.constantFrom('BLOCKER', 'CRITICAL', 'MAJOR', 'MINOR', 'INFO'), fc.constantFrom('VULNERABILITY', 'BUG', 'CODE_SMELL'));
    fc.assert(
      fc.property(fc.array(issue, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), (issues, choices) => {
        const times = issues.map(([t]) => t);
        const b = { earliest: Math.min(...times), latest: Math.max(...times) };
        let slices: IssueSlice[] = [{}];
        for (const choice of choices) {
          const index = choice % slices.length;
          const parts = splitIssueSlice(slices[index]!, b);
          if (parts) slices = [...slices.slice(0, index), ...parts, ...slices.slice(index + 1)];
        }
        for (const [t, severity, type] of issues) {
          expect(slices.filter((s) => inSlice(s, t, severity, type))).toHaveLength(1);
        }
      }),
    );
  });
});

describe('splitHotspotSlice', () => {
  it('splits by status, then reviewed hotspots by resolution, then gives up', () => {
    expect(splitHotspotSlice({})).toEqual([{ status: 'TO_REVIEW' }, { status: 'REVIEWED' }]);
    expect(splitHotspotSlice({ status: 'REVIEWED' })).toEqual([
      { status: 'REVIEWED', resolution: 'FIXED' },
      { status: 'REVIEWED', resolution: 'SAFE' },
      { status: 'REVIEWED', resolution: 'ACKNOWLEDGED' },
    ]);
    expect(splitHotspotSlice({ status: 'TO_REVIEW' })).toBeUndefined();
  });
});
