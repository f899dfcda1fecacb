import { optionsFromArgs } from './main';

describe('optionsFromArgs', () => {
  it('defaults to port 4566 with the real quotas', () => {
    // act
    const options = optionsFromArgs([]);

    // assert
    expect(options).toEqual({ port: 4566, throttling: true });
  });

  it('reads --port, --no-throttling, --persist, --account-id, --region and the fault options', () => {
    // act
    const options = optionsFromArgs([
      '--port', '0', '--no-throttling', '--persist', 'store.json', '--account-id', '111122223333', '--region', 'eu-west-1',
      '--throttle-rate', '0.3', '--server-error-rate', '0.05', '--finding-failure-rate', '0.1', '--seed', '7',
    ]);

    // assert
    expect(options).toEqual({
      port: 0,
      throttling: false,
      persistPath: 'store.json',
      accountId: '111122223333',
      region: 'eu-west-1',
      faults: { throttleRate: 0.3, serverErrorRate: 0.05, findingFailureRate: 0.1, seed: 7 },
    });
  });

  it.each([
    [['--port', 'abc']],
    [['--throttle-rate', '2']],
    [['--seed', '1.5']],
    [['--unknown']],
  ])('rejects %j', (args) => {
    // act / assert
    expect(() => optionsFromArgs(args)).toThrow();
  });

  it('recognises --help', () => {
    // act / assert
    expect(optionsFromArgs(['--help'])).toBe('help');
  });
});
