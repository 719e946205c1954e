import { createHash } from 'node:crypto';
import type { AiPurpose, ChatMessage } from './ai.types.js';

/** Purposes whose answer depends only on the input, so an identical deterministic call may reuse it. */
export const CACHEABLE_PURPOSES: ReadonlySet<AiPurpose> = new Set(['translation', 'correction']);

export interface CacheKeyInput {
  purpose: AiPurpose;
  system: string | null;
  messages: readonly ChatMessage[];
  /** The structured-output schema's JSON, if any. */
  jsonSchema: unknown;
  /** A provider-independent class of model ("default" unless the caller asked for a stronger one). */
  modelClass: string;
  maxTokens: number;
}

export interface CachedAnswer {
  text: string;
  providerId: string;
  model: string;
}

export interface CacheStats {
  size: number;
  capacity: number;
  hits: number;
  misses: number;
}

/**
 * A bounded, least-recently-used cache of deterministic answers (temperature 0, a cacheable purpose), keyed on
 * what the model was asked — not on which provider answered — so any provider's answer serves the next caller.
 * Conversation turns never come here. It lives in the process: a restart starts it empty, which costs money,
 * not correctness.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private hits = 0;
  private misses = 0;

  constructor(private readonly capacity: number) {}

  static keyOf(input: CacheKeyInput): string {
    const canonical = JSON.stringify([
      input.purpose,
      input.system,
      input.messages.map((m) => [m.role, m.content]),
      input.jsonSchema ?? null,
      input.modelClass,
      input.maxTokens,
    ]);
    return createHash('sha256').update(canonical).digest('hex');
  }

  get(key: string): CachedAnswer | undefined {
    const found = this.entries.get(key);
    if (!found) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    this.entries.delete(key);
    this.entries.set(key, found);
    return found;
  }

  set(key: string, answer: CachedAnswer): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, answer);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  stats(): CacheStats {
    return { size: this.entries.size, capacity: this.capacity, hits: this.hits, misses: this.misses };
  }
}
