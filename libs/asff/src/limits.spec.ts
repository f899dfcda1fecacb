import { TRUNCATION_MARKER, nonEmpty, nonEmptyText, truncate } from './limits';

describe('truncate', () => {
  it('leaves short text alone and cuts long text to the limit with the marker', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('a'.repeat(100), 20);
    expect(cut).toHaveLength(20);
    expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    // Arrange: the cut point falls inside an emoji
    const text = 'a'.repeat(6) + '😀'.repeat(10);
    // Act
    const cut = truncate(text, 6 + 1 + TRUNCATION_MARKER.length);
    // Assert
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('nonEmpty', () => {
  it('collapses whitespace and falls back when blank', () => {
    expect(nonEmpty('  a \n b ', 'x')).toBe('a b');
    expect(nonEmpty(' \n', 'fallback')).toBe('fallback');
    expect(nonEmpty(undefined, 'fallback')).toBe('fallback');
  });
});

describe('nonEmptyText', () => {
  it('keeps line breaks, folds spaces and blank-line runs, and falls back when blank', () => {
    expect(nonEmptyText('Evidence:\r\n  <script>  \n\n\n\nURL: /a ', 'x')).toBe('Evidence:\n<script>\n\nURL: /a');
    expect(nonEmptyText(' \n\t', 'fallback')).toBe('fallback');
  });
});
