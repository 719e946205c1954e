import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.js';
import { percentiles, ProviderHealth } from './provider-health.js';

describe('provider health', () => {
  it('has no figures and counts as healthy before any attempt', () => {
    const health = new ProviderHealth(new ManualClock());
    expect(health.stats('p')).toEqual({
      attempts: 0,
      failures: 0,
      errorRate: null,
      ttftMs: null,
      latencyMs: null,
      lastError: null,
      healthy: true,
    });
    expect(health.isHealthy('p')).toBe(true);
  });

  it('computes the error rate, latency percentiles of successes and the last error', () => {
    const clock = new ManualClock('2026-01-05T09:00:00Z');
    const health = new ProviderHealth(clock);
    for (let i = 1; i <= 10; i++) health.record('p', { outcome: 'ok', ttftMs: i * 10, totalMs: i * 100 });
    clock.advance(1000);
    health.record('p', { outcome: 'server_error', ttftMs: null, totalMs: 5 });
    health.record('p', { outcome: 'aborted', ttftMs: 1, totalMs: 1 });
    const stats = health.stats('p');
    expect(stats).toMatchObject({
      attempts: 11,
      failures: 1,
      ttftMs: { p50: 50, p95: 100 },
      latencyMs: { p50: 500, p95: 1000 },
      lastError: { failure: 'server_error', at: '2026-01-05T09:00:01.000Z' },
      healthy: true,
    });
    expect(stats.errorRate).toBeCloseTo(1 / 11);
  });

  it('is unhealthy at half failures over at least three attempts, and recovers as they leave the window', () => {
    const clock = new ManualClock();
    const health = new ProviderHealth(clock);
    health.record('p', { outcome: 'connection_error', ttftMs: null, totalMs: 1 });
    health.record('p', { outcome: 'server_error', ttftMs: null, totalMs: 1 });
    expect(health.isHealthy('p')).toBe(true);
    health.record('p', { outcome: 'ok', ttftMs: 5, totalMs: 10 });
    expect(health.isHealthy('p')).toBe(false);
    expect(health.stats('p').healthy).toBe(false);
    expect(health.isHealthy('other')).toBe(true);
    clock.advance(5 * 60_000);
    expect(health.stats('p')).toMatchObject({ attempts: 0, healthy: true, lastError: { failure: 'server_error' } });
  });

  it('leaves attempts without a first token out of the time-to-first-token figures', () => {
    const health = new ProviderHealth(new ManualClock());
    health.record('p', { outcome: 'ok', ttftMs: null, totalMs: 40 });
    expect(health.stats('p')).toMatchObject({ ttftMs: null, latencyMs: { p50: 40, p95: 40 } });
  });

  it('keeps at most maxSamples attempts', () => {
    const health = new ProviderHealth(new ManualClock(), {
      windowMs: 60_000,
      maxSamples: 3,
      unhealthyErrorRate: 0.5,
      minSamples: 3,
    });
    for (let i = 0; i < 5; i++) health.record('p', { outcome: 'ok', ttftMs: i, totalMs: i });
    expect(health.stats('p')).toMatchObject({ attempts: 3, latencyMs: { p50: 3, p95: 4 } });
  });

  it('counts only the failures still kept: old ones leave with their window or past maxSamples', () => {
    const clock = new ManualClock();
    const options = { windowMs: 60_000, maxSamples: 4, unhealthyErrorRate: 0.5, minSamples: 3 };
    const health = new ProviderHealth(clock, options);
    health.record('p', { outcome: 'server_error', ttftMs: null, totalMs: 1 });
    health.record('p', { outcome: 'server_error', ttftMs: null, totalMs: 1 });
    clock.advance(30_000);
    health.record('p', { outcome: 'ok', ttftMs: 5, totalMs: 10 });
    expect(health.stats('p')).toMatchObject({ attempts: 3, failures: 2, healthy: false });
    clock.advance(30_000); // the two failures are a minute old now
    expect(health.stats('p')).toMatchObject({ attempts: 1, failures: 0, healthy: true });
    health.record('p', { outcome: 'rate_limited', ttftMs: null, totalMs: 1 });
    for (let i = 0; i < 4; i++) health.record('p', { outcome: 'ok', ttftMs: 5, totalMs: 10 });
    expect(health.stats('p')).toMatchObject({ attempts: 4, failures: 0, errorRate: 0 });
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentiles([])).toBeNull();
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7 });
    expect(percentiles([4, 1, 3, 2])).toEqual({ p50: 2, p95: 4 });
  });
});
