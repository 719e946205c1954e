import { z } from 'zod';

/**
 * `GET /api/admin/ai/providers`: the configured language-model providers with their live health. Never a key.
 * `kind` and the failure classes are the server's lists (`modules/ai/ai.types.ts`), kept as strings here.
 */

export const ProvidersQuerySchema = z.strictObject({
  /** `true` also checks each provider's reachability now (a model list call, no tokens spent). */
  probe: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type ProvidersQuery = z.input<typeof ProvidersQuerySchema>;

const PercentilesSchema = z.object({ p50: z.number(), p95: z.number() });

export const ProviderHealthSchema = z.object({
  /** False after a run of recent failures (error rate ≥ 50% over at least 3 attempts) or with a circuit not closed. */
  healthy: z.boolean(),
  circuit: z.enum(['closed', 'open', 'half_open']),
  consecutiveFailures: z.number().int(),
  /** When an open circuit lets its next probe call through. */
  circuitRetryAt: z.string().nullable(),
  /** Attempts in the last five minutes (those the caller aborted not counted). */
  attempts: z.number().int(),
  failures: z.number().int(),
  errorRate: z.number().nullable(),
  /** Time to first token and whole-attempt time of the successful attempts. */
  ttftMs: PercentilesSchema.nullable(),
  latencyMs: PercentilesSchema.nullable(),
  lastError: z.object({ failure: z.string(), at: z.string() }).nullable(),
});
export type ProviderHealthView = z.infer<typeof ProviderHealthSchema>;

export const ProviderProbeSchema = z.object({
  reachable: z.boolean(),
  latencyMs: z.number(),
  failure: z.string().nullable(),
  message: z.string().nullable(),
});

export const AdminProviderSchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** Host (and port) of the base URL; the vendor's own host when none is configured. */
  baseUrlHost: z.string(),
  models: z.array(z.string()),
  inputPricePerMTokUsd: z.number(),
  outputPricePerMTokUsd: z.number(),
  languages: z.array(z.string()),
  priority: z.number().int(),
  /** Whether a key is configured (the key itself never leaves the server). */
  hasKey: z.boolean(),
  health: ProviderHealthSchema,
  /** Only with `?probe=true`. */
  probe: ProviderProbeSchema.nullable(),
});
export type AdminProvider = z.infer<typeof AdminProviderSchema>;

export const AdminProvidersSchema = z.object({ providers: z.array(AdminProviderSchema) });
export type AdminProviders = z.infer<typeof AdminProvidersSchema>;
