import { formatMessage, plainMessage, resultMessage } from './message';

describe('formatMessage', () => {
  it('fills placeholders and unescapes doubled braces', () => {
    expect(formatMessage('Call to {0} with {1}; see {{docs}} and {5}.', ['eval', 2])).toBe('Call to eval with 2; see {docs} and {5}.');
  });
});

describe('plainMessage', () => {
  it.each([
    ['Flows from [user input](1) to [sink](2).', 'Flows from user input to sink.'],
    ['Link: [CVE-1](https://x.test/cve-1)', 'Link: CVE-1 (https://x.test/cve-1)'],
    ['[https://x.test](https://x.test)', 'https://x.test'],
    ['Literal \\[brackets\\] stay', 'Literal [brackets] stay'],
    ['Unclosed [link(1)', 'Unclosed [link(1)'],
  ])('%s', (input, expected) => {
    expect(plainMessage(input)).toBe(expected);
  });

  // A backtracking regex here would hang for minutes; jest's test timeout catches that without timing the test.
  it('handles text full of brackets', () => {
    // Arrange
    const text = '['.repeat(200_000);

    // Act
    const plain = plainMessage(`${text}](1)`);

    // Assert
    expect(typeof plain).toBe('string');
  });
});

describe('resultMessage', () => {
  const rule = { messageStrings: { default: { text: 'Rule says {0}.' } } };
  const component = { globalMessageStrings: { shared: { markdown: 'Shared {0}' } } };

  it.each([
    [{ text: 'Plain', markdown: '**Plain**' }, 'Plain'],
    [{ markdown: '**Bold**' }, '**Bold**'],
    [{ id: 'default', arguments: ['hi'] }, 'Rule says hi.'],
    [{ id: 'shared', arguments: ['x'] }, 'Shared x'],
    [{ text: 'Text with {0}', arguments: ['args'] }, 'Text with args'],
    [{ id: 'missing' }, undefined],
    ['not an object', undefined],
  ])('%j → %s', (message, expected) => {
    expect(resultMessage(message, rule, component)).toBe(expected);
  });
});
