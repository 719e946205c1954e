import type { Clock } from '../../lib/clock.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  cooldownMs: number;
}

/**
 * A per-provider circuit breaker: closed until `failureThreshold` consecutive failures, then open (no calls) for
 * `cooldownMs`, then half-open: exactly one call — the probe — goes through; its success closes the circuit, its
 * failure opens it for another cool-down. Time comes from the clock (no timers), so tests move it by hand.
 *
 * Consecutive failures rather than an error rate: a provider that answers one call in two is slow, not down, and
 * the health stats already rank it lower; the breaker is for providers that stopped answering.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | null = null;
  private probing = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: CircuitBreakerOptions,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.clock.now().getTime() - this.openedAt >= this.options.cooldownMs ? 'half_open' : 'open';
  }

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  /** When an open circuit will let a probe through (null unless open). */
  get retryAt(): Date | null {
    return this.state === 'open' ? new Date(this.openedAt! + this.options.cooldownMs) : null;
  }

  /** Whether a call may be sent now (without taking the half-open probe). */
  get available(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half_open' && !this.probing);
  }

  /**
   * Takes permission for one call. Closed: always. Half-open: only the first caller (the probe) until it reports.
   * Open: never.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  onSuccess(): void {
    this.consecutive = 0;
    this.openedAt = null;
    this.probing = false;
  }

  onFailure(): void {
    this.consecutive += 1;
    const wasProbe = this.probing;
    this.probing = false;
    if (wasProbe || this.state !== 'closed' || this.consecutive >= this.options.failureThreshold) {
      this.openedAt = this.clock.now().getTime();
    }
  }

  /** A call ended without saying anything about the provider (the caller left, our request was bad). */
  release(): void {
    this.probing = false;
  }
}
