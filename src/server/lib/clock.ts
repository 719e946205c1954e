/** The source of "now" for all domain code, so tests control time instead of sleeping. */
export interface Clock {
  now(): Date;
}

/** A cancellable one-shot timer; calling the returned function cancels it (a no-op once it fired). */
export type CancelTimer = () => void;

/**
 * A clock that can also wake code later — timeouts, deadlines, cool-downs, back-off. Code that waits takes a
 * `TimerClock` so tests move time with `ManualClock.advance` instead of sleeping.
 */
export interface TimerClock extends Clock {
  setTimer(ms: number, callback: () => void): CancelTimer;
  /** Resolves after `ms` (or rejects with the signal's reason when it aborts first). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function sleepWith(clock: Pick<TimerClock, 'setTimer'>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      cancel();
      reject(signal!.reason);
    };
    const cancel = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: TimerClock = {
  now: () => new Date(),
  setTimer(ms, callback) {
    const handle = setTimeout(callback, Math.max(0, ms));
    return () => clearTimeout(handle);
  },
  sleep(ms, signal) {
    return sleepWith(systemClock, ms, signal);
  },
};

/** A clock that only moves when told to; its timers fire, in due order, as `advance`/`set` pass them. */
export class ManualClock implements TimerClock {
  private current: number;
  private timers: { at: number; seq: number; callback: () => void }[] = [];
  private seq = 0;

  constructor(start: Date | string = '2026-01-05T09:00:00.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.set(new Date(this.current + ms));
  }
  set(to: Date | string): void {
    const target = new Date(to).getTime();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = target;
  }
  setTimer(ms: number, callback: () => void): CancelTimer {
    const timer = { at: this.current + Math.max(0, ms), seq: this.seq++, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
  /** How many timers are waiting (tests use it to know the code under test is now waiting on the clock). */
  get pendingTimers(): number {
    return this.timers.length;
  }
}
