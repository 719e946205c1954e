import type { Clock } from '../../../lib/clock.js';
import type { ProviderAdapter, ProviderConfig } from '../ai.types.js';
import { AnthropicAdapter } from './anthropic.js';
import { OpenAiCompatibleAdapter } from './openai-compatible.js';

/** An adapter that can also check, without spending tokens, that its provider answers. */
export interface ProbeableAdapter extends ProviderAdapter {
  probe(signal: AbortSignal): Promise<void>;
}

export type AdapterFactory = (config: ProviderConfig) => ProviderAdapter;

/** The adapter for a configured provider, by its protocol. */
export function createAdapter(config: ProviderConfig, clock: Clock): ProbeableAdapter {
  return config.kind === 'anthropic' ? new AnthropicAdapter(config, clock) : new OpenAiCompatibleAdapter(config, clock);
}

export function canProbe(adapter: ProviderAdapter): adapter is ProbeableAdapter {
  return typeof (adapter as Partial<ProbeableAdapter>).probe === 'function';
}
