import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AdminProvidersSchema, ProvidersQuerySchema } from '../../../shared/ai-providers.js';
import type { Authenticator } from '../../http/auth.js';
import { errorResponses } from '../../http/route-schemas.js';
import { presentProvider } from './ai-admin.presenter.js';
import type { AiRouter } from './router.js';

const tags = ['admin: ai'];

/** The AI providers for admins. Register at prefix `/api/admin/ai`. */
export function aiAdminRoutes(
  router: Pick<AiRouter, 'statuses' | 'probe'>,
  authn: Authenticator,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireAdmin);

    app.get(
      '/providers',
      {
        schema: {
          tags,
          summary: 'The configured language-model providers with live health (never their keys)',
          description:
            'Health: circuit breaker state, error rate and latency percentiles of the last five minutes, the last ' +
            'error. `?probe=true` also checks each provider now (a model-list call, no tokens spent, bounded by the ' +
            'connect timeout).',
          querystring: ProvidersQuerySchema,
          response: { 200: AdminProvidersSchema, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const statuses = router.statuses();
        const probes = request.query.probe
          ? await Promise.all(statuses.map((s) => router.probe(s.provider.id)))
          : statuses.map(() => null);
        return { providers: statuses.map((s, i) => presentProvider(s, probes[i] ?? null)) };
      },
    );
  };
}
