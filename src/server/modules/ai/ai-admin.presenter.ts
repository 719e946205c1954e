import type { AdminProvider } from '../../../shared/ai-providers.js';
import type { ProbeResult, ProviderStatus } from './router.js';
import { ANTHROPIC_DEFAULT_BASE_URL } from './providers/anthropic.js';
import { OPENAI_DEFAULT_BASE_URL } from './providers/openai-compatible.js';

/** A provider as admins see it: configuration and health, the key reduced to whether there is one. */
export function presentProvider(status: ProviderStatus, probe: ProbeResult | null): AdminProvider {
  const { provider, circuit, health } = status;
  const defaultUrl = provider.kind === 'anthropic' ? ANTHROPIC_DEFAULT_BASE_URL : OPENAI_DEFAULT_BASE_URL;
  return {
    id: provider.id,
    kind: provider.kind,
    // Only the host: a URL may carry user:password@ or a token in its query.
    baseUrlHost: new URL(provider.baseUrl ?? defaultUrl).host,
    models: [...provider.models],
    inputPricePerMTokUsd: provider.inputPricePerMTokUsd,
    outputPricePerMTokUsd: provider.outputPricePerMTokUsd,
    languages: [...provider.languages],
    priority: provider.priority,
    hasKey: provider.apiKey !== null,
    health: {
      healthy: health.healthy && circuit.state === 'closed',
      circuit: circuit.state,
      consecutiveFailures: circuit.consecutiveFailures,
      circuitRetryAt: circuit.retryAt,
      attempts: health.attempts,
      failures: health.failures,
      errorRate: health.errorRate,
      ttftMs: health.ttftMs,
      latencyMs: health.latencyMs,
      lastError: health.lastError,
    },
    probe,
  };
}
