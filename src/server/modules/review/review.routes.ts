import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CardSchema } from '../../../shared/cards.js';
import {
  AnswerBodySchema,
  PutReviewSettingsBodySchema,
  QueueQuerySchema,
  QueueSchema,
  ReviewSettingsSchema,
  UndoResultSchema,
} from '../../../shared/review.js';
import { errorResponses } from '../../http/route-schemas.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import type { ReviewService } from './review.service.js';

const tags = ['review'];
const errors = errorResponses(400, 401, 403, 404, 409);

export function reviewRoutes(review: ReviewService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.get(
      '/queue',
      {
        schema: {
          tags,
          summary: 'The cards to review now, with what each rating would schedule',
          querystring: QueueQuerySchema,
          response: { 200: QueueSchema, ...errors },
        },
      },
      async (request) => review.queue(principalOf(request).user, request.query.language, request.query.limit),
    );

    app.post(
      '/answers',
      {
        schema: {
          tags,
          summary: 'Rate a card (repeating an answerId answers the first result)',
          body: AnswerBodySchema,
          response: { 200: CardSchema, ...errors },
        },
      },
      async (request) => review.answer(principalOf(request).user, request.body),
    );

    app.post(
      '/undo',
      {
        schema: {
          tags,
          summary: "Take back the caller's latest answer of today",
          response: { 200: UndoResultSchema, ...errors },
        },
      },
      async (request) => review.undo(principalOf(request).user),
    );

    app.get(
      '/settings',
      { schema: { tags, summary: 'Review settings', response: { 200: ReviewSettingsSchema, ...errors } } },
      async (request) => review.getSettings(principalOf(request).user.id),
    );

    app.put(
      '/settings',
      {
        schema: {
          tags,
          summary: 'Replace the review settings (a new retention applies to the next answers; nothing is rescheduled)',
          body: PutReviewSettingsBodySchema,
          response: { 200: ReviewSettingsSchema, ...errors },
        },
      },
      async (request) => review.putSettings(principalOf(request).user.id, request.body),
    );
  };
}
