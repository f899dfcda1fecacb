import { cachedHtmlToPlainText, capField, htmlToPlainText, textOf, urlsIn } from './text';

describe('textOf', () => {
  it('reads strings, numbers, booleans and XML elements with child text', () => {
    // Arrange
    const values: unknown[] = ['plain', 10020, false, { '#text': 'outer', b: 'inner', '@_attr': 'not text' }, null, undefined, [1, 'two']];

    // Act
    const texts = values.map((v) => textOf(v, 100));

    // Assert
    expect(texts).toEqual(['plain', '10020', 'false', 'outer inner', '', '', '1 two']);
  });

  it('bounds the result however large or deep the value is', () => {
    // Arrange
    const big = 'x'.repeat(2_000_000);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i += 1) deep = { level: deep };

    // Act
    const capped = textOf(big, 100);
    const fromDeep = textOf(deep, 100);

    // Assert
    expect(capped).toHaveLength(100);
    expect(capped.endsWith('…')).toBe(true);
    expect(fromDeep).toBe('');
  });
});

describe('capField', () => {
  it('never splits a surrogate pair', () => {
    // Arrange
    const text = `${'a'.repeat(8)}😀${'b'.repeat(10)}`;

    // Act
    const cut = capField(text, 10);

    // Assert
    expect(cut).toBe(`${'a'.repeat(8)}…`);
  });
});

describe('htmlToPlainText', () => {
  it('turns ZAP paragraphs into lines and decodes entities', () => {
    // Arrange
    const html = '<p>Phase: Architecture</p><p></p><p>Use a &quot;vetted&quot; library &amp; <a href="https://x.example">framework</a>.</p>';

    // Act
    const text = htmlToPlainText(html);

    // Assert
    expect(text).toBe('Phase: Architecture\nUse a "vetted" library & framework.');
  });

  it('leaves text without markup as it is', () => {
    // Arrange / Act / Assert
    expect(htmlToPlainText('  The X-XSS-Protection header  ')).toBe('The X-XSS-Protection header');
  });

  it('memoises repeated inputs', () => {
    // Arrange
    const convert = cachedHtmlToPlainText();

    // Act
    const first = convert('<p>same</p>');
    const second = convert('<p>same</p>');

    // Assert
    expect(second).toBe(first);
    expect(first).toBe('same');
  });
});

describe('urlsIn', () => {
  it('lists http(s) URLs once each, without trailing punctuation', () => {
    // Arrange
    const text = 'See https://owasp.org/xss/. Also http://example.com/a?b=1, and https://owasp.org/xss/ again; ftp://no';

    // Act
    const urls = urlsIn(text);

    // Assert
    expect(urls).toEqual(['https://owasp.org/xss/', 'http://example.com/a?b=1']);
  });
});
