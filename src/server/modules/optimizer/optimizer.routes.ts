import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OptimizerStatusSchema } from '../../../shared/optimizer.js';
import { errorResponses } from '../../http/route-schemas.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import type { OptimizerService } from './optimizer.service.js';

const tags = ['review'];
const errors = errorResponses(401, 403);

export function optimizerRoutes(optimizer: OptimizerService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.post(
      '/optimize',
      {
        schema: {
          tags,
          summary: 'Fit FSRS parameters to the learner’s own reviews, in the background',
          description:
            'Answers 202 with the job. With fewer than 400 reviews (of cards learned from new) the job is ' +
            '`skipped` at once and the defaults stay. When a job is already queued or running, that job is ' +
            'answered and no second one starts. Defaults and fitted parameters are evaluated on the same ' +
            'time-series split; the fitted ones are adopted only if their log loss is lower.',
          response: { 202: OptimizerStatusSchema, ...errors },
        },
      },
      async (request, reply) => reply.code(202).send(await optimizer.start(principalOf(request).user.id)),
    );

    app.get(
      '/optimize/status',
      {
        schema: {
          tags,
          summary: 'The learner’s latest optimisation: status, progress and result',
          response: { 200: OptimizerStatusSchema, ...errors },
        },
      },
      async (request) => optimizer.status(principalOf(request).user.id),
    );
  };
}
