import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AskAnswerSchema, AskRequestSchema } from '../../../shared/ai.js';
import { LANGUAGE_NAMES } from '../../../shared/languages.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import { abortOnDisconnect } from '../../http/disconnect.js';
import { errorResponses } from '../../http/route-schemas.js';
import type { AiGateway } from './gateway.js';

const tags = ['ai'];

/** Learner-facing AI calls that are not part of a conversation. */
export function aiRoutes(gateway: AiGateway, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.post(
      '/ask',
      {
        schema: {
          tags,
          summary: 'Ask the tutor a quick question about the language (counts against the AI budget)',
          description:
            'Answers 402 `budget_exhausted` when a budget in block mode is spent (the message says when it resets), ' +
            '503 `ai_unavailable` when no model can answer, 502 `ai_failed` when every model failed.',
          body: AskRequestSchema,
          response: { 200: AskAnswerSchema, ...errorResponses(400, 401, 402, 403, 502, 503) },
        },
      },
      async (request, reply) => {
        const { user } = principalOf(request);
        const studying = request.body.language ? LANGUAGE_NAMES[request.body.language] : 'the language they study';
        const native = LANGUAGE_NAMES[user.nativeLanguage];
        const answer = await gateway.complete(
          {
            userId: user.id,
            purpose: 'other',
            requestId: request.id,
            language: request.body.language ?? null,
            system:
              `You are a patient language tutor. The learner studies ${studying} and their native language is ` +
              `${native}. Answer their question briefly and clearly in ${native}, with one or two short examples.`,
            messages: [{ role: 'user', content: request.body.question }],
            maxTokens: 400,
          },
          abortOnDisconnect(reply),
        );
        return {
          answer: answer.text,
          providerId: answer.providerId,
          model: answer.model,
          cached: answer.cached,
          budgetWarnings: answer.budgetWarnings,
        };
      },
    );
  };
}
