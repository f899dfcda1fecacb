import { displayUrl, redact } from './errors';

describe('redact', () => {
  it('replaces every occurrence of each secret', () => {
    // Arrange / Act / Assert
    expect(redact('key=abcd1234 and abcd1234 again', ['abcd1234', undefined, ''])).toBe('key=*** and *** again');
  });
});

describe('displayUrl', () => {
  it('removes user and password from URLs', () => {
    // Arrange / Act / Assert
    expect(displayUrl('https://admin:s3cret@staging.example.com/login')).toBe('https://staging.example.com/login');
    expect(displayUrl('https://staging.example.com/')).toBe('https://staging.example.com/');
  });
});
