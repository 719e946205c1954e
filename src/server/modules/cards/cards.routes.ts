import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BulkCardsBodySchema,
  BulkCardsResultSchema,
  CardPageSchema,
  CardSchema,
  CreateCardBodySchema,
  ListCardsQuerySchema,
  UpdateCardBodySchema,
} from '../../../shared/cards.js';
import { errorResponses, IdParams } from '../../http/route-schemas.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import type { CardService } from './cards.service.js';

const tags = ['cards'];
const errors = errorResponses(400, 401, 403, 404, 409);

export function cardRoutes(cards: CardService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.post(
      '/',
      {
        schema: {
          tags,
          summary: 'Add a card',
          description:
            'One card per language and term (case, surrounding punctuation and Unicode form ignored): adding a term ' +
            'you already have answers that card with 200 and records another encounter with it.',
          body: CreateCardBodySchema,
          response: { 200: CardSchema, 201: CardSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { card, created } = await cards.create(principalOf(request).user.id, request.body);
        return reply.status(created ? 201 : 200).send(card);
      },
    );

    app.post(
      '/bulk',
      {
        schema: {
          tags,
          summary: 'Add many cards at once, all or nothing',
          description:
            'Terms you already have, and repeats within the batch, fold into one card each and record an encounter.',
          body: BulkCardsBodySchema,
          response: { 200: BulkCardsResultSchema, ...errors },
        },
      },
      async (request) => cards.addMany(principalOf(request).user.id, request.body.cards),
    );

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: "The caller's cards, newest first",
          description: '`q` matches term, translation and context, ignoring case and accents.',
          querystring: ListCardsQuerySchema,
          response: { 200: CardPageSchema, ...errors },
        },
      },
      async (request) => cards.list(principalOf(request).user.id, request.query),
    );

    app.get(
      '/:id',
      {
        schema: { tags, summary: 'One card', params: IdParams, response: { 200: CardSchema, ...errors } },
      },
      async (request) => cards.get(principalOf(request).user.id, request.params.id),
    );

    app.patch(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Change a card',
          params: IdParams,
          body: UpdateCardBodySchema,
          response: { 200: CardSchema, ...errors },
        },
      },
      async (request) => cards.update(principalOf(request).user.id, request.params.id, request.body),
    );

    app.delete(
      '/:id',
      {
        schema: { tags, summary: 'Delete a card', params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await cards.delete(principalOf(request).user.id, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
