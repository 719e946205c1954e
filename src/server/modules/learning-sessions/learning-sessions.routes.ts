import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ActivityQuerySchema,
  ActivitySchema,
  CreateLearningSessionBodySchema,
  LearningSessionPageSchema,
  LearningSessionSchema,
  LearningSessionStatsSchema,
  ListLearningSessionsQuerySchema,
  StatsQuerySchema,
  UpdateLearningSessionBodySchema,
} from '../../../shared/learning-sessions.js';
import { errorResponses, IdParams } from '../../http/route-schemas.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import type { LearningSessionService } from './learning-sessions.service.js';

const tags = ['learning sessions'];
const errors = errorResponses(400, 401, 403, 404, 409);
const CreateHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
});

export function learningSessionRoutes(sessions: LearningSessionService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.post(
      '/',
      {
        schema: {
          tags,
          summary: 'Start a learning session',
          description:
            'Send an `Idempotency-Key` header to make a retried request answer the session the first one created (200) instead of starting another.',
          headers: CreateHeaders,
          body: CreateLearningSessionBodySchema,
          response: { 200: LearningSessionSchema, 201: LearningSessionSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { session, created } = await sessions.start(
          principalOf(request).user.id,
          request.body,
          request.headers['idempotency-key'],
        );
        return reply.status(created ? 201 : 200).send(session);
      },
    );

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: "The caller's learning sessions, newest first",
          querystring: ListLearningSessionsQuerySchema,
          response: { 200: LearningSessionPageSchema, ...errors },
        },
      },
      async (request) => sessions.list(principalOf(request).user.id, request.query),
    );

    app.get(
      '/stats',
      {
        schema: {
          tags,
          summary: 'Totals per type of completed sessions started in [from, to)',
          querystring: StatsQuerySchema,
          response: { 200: LearningSessionStatsSchema, ...errors },
        },
      },
      async (request) => sessions.stats(principalOf(request).user.id, request.query.from, request.query.to),
    );

    app.get(
      '/activity',
      {
        schema: {
          tags,
          summary: "Study time per day in the learner's time zone, with today's and this week's totals",
          querystring: ActivityQuerySchema,
          response: { 200: ActivitySchema, ...errors },
        },
      },
      async (request) => {
        const { user } = principalOf(request);
        return sessions.activity(user.id, user.timezone, request.query.days);
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'One learning session',
          params: IdParams,
          response: { 200: LearningSessionSchema, ...errors },
        },
      },
      async (request) => sessions.get(principalOf(request).user.id, request.params.id),
    );

    app.patch(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Update counts (absolute values) and merge metadata',
          params: IdParams,
          body: UpdateLearningSessionBodySchema,
          response: { 200: LearningSessionSchema, ...errors },
        },
      },
      async (request) => sessions.update(principalOf(request).user.id, request.params.id, request.body),
    );

    app.post(
      '/:id/complete',
      {
        schema: {
          tags,
          summary: 'Complete a learning session (the optional body is applied first)',
          params: IdParams,
          body: UpdateLearningSessionBodySchema.nullish(),
          response: { 200: LearningSessionSchema, ...errors },
        },
      },
      async (request) => sessions.complete(principalOf(request).user.id, request.params.id, request.body ?? {}),
    );
  };
}
