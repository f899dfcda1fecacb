import { virtualClock } from './virtual-clock';

describe('virtualClock', () => {
  it('moves only when something sleeps, by the time slept', async () => {
    // Arrange
    const time = virtualClock(1_000);
    // Act
    const before = time.clock();
    await time.sleep(250);
    // Assert
    expect(before).toBe(1_000);
    expect(time.clock()).toBe(1_250);
    expect(time.elapsed()).toBe(250);
  });

  it('lets sleepers that start together overlap, as real timers do', async () => {
    // Arrange
    const time = virtualClock(0);
    // Act
    await Promise.all([time.sleep(100), time.sleep(300), time.sleep(200)]);
    // Assert
    expect(time.clock()).toBe(300);
  });

  it('never goes backwards and can be advanced by hand', async () => {
    // Arrange
    const time = virtualClock(0);
    // Act
    time.advance(500);
    await time.sleep(0);
    await time.sleep(-5);
    // Assert
    expect(time.clock()).toBe(500);
  });
});
