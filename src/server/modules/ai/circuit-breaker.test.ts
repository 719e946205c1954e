import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.js';
import { CircuitBreaker } from './circuit-breaker.js';

function breaker() {
  const clock = new ManualClock();
  return { clock, breaker: new CircuitBreaker(clock, { failureThreshold: 3, cooldownMs: 10_000 }) };
}

describe('circuit breaker', () => {
  it('stays closed below the threshold and a success resets the count', () => {
    const { breaker: b } = breaker();
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
    expect(b.consecutiveFailures).toBe(2);
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  it('opens after the threshold of consecutive failures and refuses calls until the cool-down passed', () => {
    const { clock, breaker: b } = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    expect(b.state).toBe('open');
    expect(b.available).toBe(false);
    expect(b.tryAcquire()).toBe(false);
    expect(b.retryAt?.toISOString()).toBe(new Date(clock.now().getTime() + 10_000).toISOString());
    clock.advance(9_999);
    expect(b.state).toBe('open');
    clock.advance(1);
    expect(b.state).toBe('half_open');
    expect(b.retryAt).toBeNull();
  });

  it('lets exactly one probe through when half-open; its success closes the circuit', () => {
    const { clock, breaker: b } = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(10_000);
    expect(b.available).toBe(true);
    expect(b.tryAcquire()).toBe(true);
    expect(b.available).toBe(false);
    expect(b.tryAcquire()).toBe(false);
    b.onSuccess();
    expect(b.state).toBe('closed');
    expect(b.consecutiveFailures).toBe(0);
    expect(b.tryAcquire()).toBe(true);
  });

  it('reopens for a whole cool-down when the probe fails', () => {
    const { clock, breaker: b } = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(10_000);
    b.tryAcquire();
    b.onFailure();
    expect(b.state).toBe('open');
    clock.advance(9_999);
    expect(b.state).toBe('open');
    clock.advance(1);
    expect(b.state).toBe('half_open');
  });

  it('frees the probe slot when the probe ended without a verdict', () => {
    const { clock, breaker: b } = breaker();
    for (let i = 0; i < 3; i++) b.onFailure();
    clock.advance(10_000);
    b.tryAcquire();
    b.release();
    expect(b.state).toBe('half_open');
    expect(b.tryAcquire()).toBe(true);
  });
});
