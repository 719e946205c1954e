import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CardSchema } from '../../../shared/cards.js';
import {
  AddToCardsBodySchema,
  ConversationPageSchema,
  ConversationSchema,
  CreateConversationBodySchema,
  HintSchema,
  ListConversationsQuerySchema,
  PostMessageBodySchema,
  TranslateBodySchema,
  TranslationSchema,
  TurnSchema,
} from '../../../shared/conversations.js';
import { abortOnDisconnect } from '../../http/disconnect.js';
import { DomainError } from '../../http/errors.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import { errorResponses, IdParams } from '../../http/route-schemas.js';
import type { TranslateService } from '../translate/translate.service.js';
import type { ConversationService, TurnEvent } from './conversations.service.js';

const tags = ['conversations'];
const errors = errorResponses(400, 401, 403, 404, 409);

function sse(reply: FastifyReply, event: string, data: unknown): void {
  reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function eventOf(event: TurnEvent): [string, unknown] {
  switch (event.type) {
    case 'token':
      return ['token', { text: event.text }];
    case 'feedback':
      return ['feedback', event.feedback];
    case 'progress':
      return ['progress', event.progress];
    case 'done':
      return ['done', event.turn];
  }
}

export function conversationRoutes(conversations: ConversationService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.post(
      '/',
      {
        schema: {
          tags,
          summary: 'Start a conversation: a scenario role-play or free talk',
          description: 'Answers the conversation with the tutor’s opening message, and opens its learning session.',
          body: CreateConversationBodySchema,
          response: { 201: ConversationSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { user } = principalOf(request);
        return reply.status(201).send(await conversations.create(user, request.body));
      },
    );

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'Your conversations, newest first',
          querystring: ListConversationsQuerySchema,
          response: { 200: ConversationPageSchema, ...errors },
        },
      },
      async (request) => conversations.list(principalOf(request).user.id, request.query),
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'One conversation with every message, its feedback and the progress',
          params: IdParams,
          response: { 200: ConversationSchema, ...errors },
        },
      },
      async (request) => conversations.get(principalOf(request).user.id, request.params.id),
    );

    app.post(
      '/:id/messages',
      {
        schema: {
          tags,
          summary: 'Say something; the tutor answers',
          description:
            'With `Accept: text/event-stream` the answer is a stream of Server-Sent Events: `token` ({ text }) as ' +
            'the reply is written, then one `feedback`, one `progress` (scenario mode) and `done` (the turn, as ' +
            'the JSON answer) — or `error` ({ code, message }) if the reply broke off. Without it, the turn as ' +
            'JSON. An `Idempotency-Key` header makes a retried request answer the turn the first one stored. ' +
            '`notice` says when the offline tutor answered because no model could.',
          params: IdParams,
          body: PostMessageBodySchema,
          headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }).loose(),
          response: { 200: TurnSchema, ...errorResponses(400, 401, 403, 404, 409, 502) },
        },
      },
      async (request, reply) => {
        const { user } = principalOf(request);
        const events = conversations.sendMessage(user, request.params.id, request.body.text, {
          idempotencyKey: request.headers['idempotency-key'],
          requestId: request.id,
          signal: abortOnDisconnect(reply),
        });
        const streaming = (request.headers.accept ?? '').includes('text/event-stream');
        if (!streaming) {
          for await (const event of events) if (event.type === 'done') return event.turn;
          throw new Error('the turn ended without an answer');
        }
        // Refusals (404, 409…) happen before the first event and answer as ordinary JSON errors.
        const first = await events.next();
        reply.hijack();
        reply.raw.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          'x-accel-buffering': 'no',
        });
        try {
          if (!first.done) sse(reply, ...eventOf(first.value));
          for await (const event of events) sse(reply, ...eventOf(event));
        } catch (err) {
          if (!(err instanceof DomainError)) request.log.error({ err }, 'a conversation turn failed mid-stream');
          sse(reply, 'error', {
            code: err instanceof DomainError ? err.code : 'internal_error',
            message: err instanceof DomainError ? err.message : 'the reply broke off; send your message again',
          });
        }
        reply.raw.end();
      },
    );

    app.post(
      '/:id/hint',
      {
        schema: {
          tags,
          summary: '2–3 things you could say next, with glosses',
          params: IdParams,
          response: { 200: HintSchema, ...errors },
        },
      },
      async (request) => conversations.hint(principalOf(request).user, request.params.id, request.id),
    );

    app.post(
      '/:id/end',
      {
        schema: {
          tags,
          summary: 'End the conversation: its summary, the attempt, the new cards and the learning session',
          description: 'Ending twice answers the same summary.',
          params: IdParams,
          response: { 200: ConversationSchema, ...errors },
        },
      },
      async (request) => conversations.end(principalOf(request).user.id, request.params.id),
    );

    app.post(
      '/:id/cards',
      {
        schema: {
          tags,
          summary: 'Add a word or a correction from the conversation to your flashcards',
          description: 'The message’s sentence becomes the card’s context. 201 for a new card, 200 if you had it.',
          params: IdParams,
          body: AddToCardsBodySchema,
          response: { 200: CardSchema, 201: CardSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { card, created } = await conversations.addToCards(
          principalOf(request).user.id,
          request.params.id,
          request.body,
        );
        return reply.status(created ? 201 : 200).send(card);
      },
    );
  };
}

export function translateRoutes(translate: TranslateService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);
    app.post(
      '/',
      {
        schema: {
          tags,
          summary: 'Translate a word or phrase, in the sentence it came from',
          description:
            'Through the AI gateway (cached: the same text in the same sentence costs nothing the second time), ' +
            'else offline from the scenario glossaries (into English), else `{ available: false, reason }`.',
          body: TranslateBodySchema,
          response: { 200: TranslationSchema, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => translate.translate(principalOf(request).user.id, request.id, request.body),
    );
  };
}
