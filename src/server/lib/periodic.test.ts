import { afterEach, describe, expect, it, vi } from 'vitest';
import { every } from './periodic.js';

describe('every', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the task each interval until stopped, and does not start a run while the last is still going', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let finish!: () => void;
    let runs = 0;
    const task = () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const stop = every(1_000, task, () => undefined);
    vi.advanceTimersByTime(1_000);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(3_000); // the first run is still going
    expect(runs).toBe(1);
    finish();
    await vi.waitFor(() => {
      vi.advanceTimersByTime(1_000);
      expect(runs).toBe(2);
    });
    finish();
    stop();
    vi.advanceTimersByTime(10_000);
    expect(runs).toBe(2);
  });

  it('hands a failed run to onError and tries again at the next interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const errors: unknown[] = [];
    let runs = 0;
    const stop = every(
      1_000,
      async () => {
        runs++;
        if (runs === 1) throw new Error('database is locked');
      },
      (err) => errors.push(err),
    );
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => expect(errors).toEqual([new Error('database is locked')]));
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => expect(runs).toBe(2));
    expect(errors).toHaveLength(1);
    stop();
  });
});
