import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ReviewStatsQuerySchema, ReviewStatsSchema } from '../../../shared/review-stats.js';
import { errorResponses } from '../../http/route-schemas.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import type { ReviewStatsService } from './review-stats.service.js';

const tags = ['review'];
const errors = errorResponses(400, 401);

export function reviewStatsRoutes(reviewStats: ReviewStatsService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.get(
      '/stats',
      {
        schema: {
          tags,
          summary: 'Review statistics: due forecast, answers per day, true retention, cards per state',
          description:
            'Days are review days in the learner’s time zone, starting at their day-boundary hour. `language` limits ' +
            'everything to one language. Retention covers answers to cards in the review state over the last 90 ' +
            'review days, banded by the whole days since the previous review: < 1, 1–6, 7–29 and 30 or more.',
          querystring: ReviewStatsQuerySchema,
          response: { 200: ReviewStatsSchema, ...errors },
        },
      },
      async (request) => reviewStats.stats(principalOf(request).user, request.query.language),
    );
  };
}
