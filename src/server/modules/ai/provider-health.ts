import type { Clock } from '../../lib/clock.js';
import type { FailureClass } from './ai.types.js';

export interface HealthOptions {
  /** Only attempts this recent count. */
  windowMs: number;
  /** At most this many recent attempts are kept per provider. */
  maxSamples: number;
  /** An error rate at or above this (with at least `minSamples` attempts) makes a provider unhealthy. */
  unhealthyErrorRate: number;
  minSamples: number;
}

export interface AttemptSample {
  outcome: 'ok' | FailureClass;
  ttftMs: number | null;
  totalMs: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface HealthStats {
  /** Attempts in the window (the caller's own aborts not counted). */
  attempts: number;
  failures: number;
  /** failures / attempts; null with no attempts. */
  errorRate: number | null;
  /** Time to first token of the successful attempts. */
  ttftMs: Percentiles | null;
  /** Whole-attempt time of the successful attempts. */
  latencyMs: Percentiles | null;
  lastError: { failure: FailureClass; at: string } | null;
  healthy: boolean;
}

interface Sample extends AttemptSample {
  at: number;
}

export const DEFAULT_HEALTH_OPTIONS: HealthOptions = {
  windowMs: 5 * 60_000,
  maxSamples: 200,
  unhealthyErrorRate: 0.5,
  minSamples: 3,
};

/**
 * Recent attempts per provider, in memory: the error rate and latency percentiles over a sliding window, and the
 * last error. The router ranks unhealthy providers after healthy ones; the admin page shows the figures.
 * An attempt the caller aborted says nothing about the provider and is left out.
 */
export class ProviderHealth {
  /** Per provider, its attempts oldest first and how many of them failed (kept in step, so checks are O(1)). */
  private readonly windows = new Map<string, { samples: Sample[]; failures: number }>();
  private readonly lastErrors = new Map<string, { failure: FailureClass; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly options: HealthOptions = DEFAULT_HEALTH_OPTIONS,
  ) {}

  record(providerId: string, sample: AttemptSample): void {
    if (sample.outcome === 'aborted') return;
    const now = this.clock.now().getTime();
    const window = this.prune(providerId, now);
    window.samples.push({ ...sample, at: now });
    if (sample.outcome !== 'ok') window.failures += 1;
    this.dropOldest(window, window.samples.length - this.options.maxSamples);
    if (sample.outcome !== 'ok') this.lastErrors.set(providerId, { failure: sample.outcome, at: now });
  }

  stats(providerId: string): HealthStats {
    const { samples, failures } = this.prune(providerId, this.clock.now().getTime());
    const ok = samples.filter((s) => s.outcome === 'ok');
    const errorRate = samples.length === 0 ? null : failures / samples.length;
    const last = this.lastErrors.get(providerId);
    return {
      attempts: samples.length,
      failures,
      errorRate,
      ttftMs: percentiles(ok.flatMap((s) => (s.ttftMs === null ? [] : [s.ttftMs]))),
      latencyMs: percentiles(ok.map((s) => s.totalMs)),
      lastError: last ? { failure: last.failure, at: new Date(last.at).toISOString() } : null,
      healthy: this.judge(samples.length, failures),
    };
  }

  /** Asked for every candidate of every call, so it only drops the attempts that left the window. */
  isHealthy(providerId: string): boolean {
    const { samples, failures } = this.prune(providerId, this.clock.now().getTime());
    return this.judge(samples.length, failures);
  }

  private judge(attempts: number, failures: number): boolean {
    return attempts < this.options.minSamples || failures / attempts < this.options.unhealthyErrorRate;
  }

  /** The provider's window without the attempts older than `windowMs` (they are the oldest: recorded in order). */
  private prune(providerId: string, now: number) {
    let window = this.windows.get(providerId);
    if (!window) {
      window = { samples: [], failures: 0 };
      this.windows.set(providerId, window);
    }
    let expired = 0;
    while (expired < window.samples.length && now - window.samples[expired]!.at >= this.options.windowMs) expired++;
    this.dropOldest(window, expired);
    return window;
  }

  private dropOldest(window: { samples: Sample[]; failures: number }, count: number): void {
    if (count <= 0) return;
    for (const dropped of window.samples.splice(0, count)) if (dropped.outcome !== 'ok') window.failures -= 1;
  }
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: rank(50), p95: rank(95) };
}
