import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CustomScenarioBodySchema,
  CustomScenarioImportQuerySchema,
  CustomScenarioListQuerySchema,
  CustomScenarioRecordSchema,
  CustomScenarioSchema,
  ScenarioAttemptSchema,
  ScenarioDetailQuerySchema,
  ScenarioListQuerySchema,
  ScenarioSummarySchema,
  ScenarioViewSchema,
} from '../../../shared/scenarios.js';
import { type Authenticator, principalOf } from '../../http/auth.js';
import { errorResponses, IdParams } from '../../http/route-schemas.js';
import type { ScenarioService } from './scenarios.service.js';

const tags = ['scenarios'];
const errors = errorResponses(400, 401, 403, 404);

export function scenarioRoutes(scenarios: ScenarioService, authn: Authenticator): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('preHandler', authn.requireUser);

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'The scenario catalogue: built-in, your own, and other learners’ public ones',
          description: 'Each summary counts how many times you finished the scenario.',
          querystring: ScenarioListQuerySchema,
          response: { 200: z.array(ScenarioSummarySchema), ...errors },
        },
      },
      async (request) => scenarios.list(principalOf(request).user.id, request.query),
    );

    // Static paths first: find-my-way prefers them to `/:id`.
    app.get(
      '/custom',
      {
        schema: {
          tags,
          summary: 'Custom scenarios: yours (`mine=true`, the default) or other learners’ public ones',
          querystring: CustomScenarioListQuerySchema,
          response: { 200: z.array(CustomScenarioRecordSchema), ...errors },
        },
      },
      async (request) => scenarios.listCustom(principalOf(request).user.id, request.query.mine),
    );

    app.post(
      '/custom',
      {
        schema: {
          tags,
          summary: 'Write your own scenario',
          description:
            'Rules: title ≥ 3 characters, 2–6 phases, each with ≥ 1 objective and, in every language you fill in, ' +
            '≥ 3 vocabulary items and ≥ 3 phrases. Private unless `visibility` is `public`.',
          body: CustomScenarioBodySchema,
          response: { 201: CustomScenarioRecordSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { scenario, visibility } = request.body;
        const record = await scenarios.createCustom(principalOf(request).user.id, scenario, visibility);
        return reply.status(201).send(record);
      },
    );

    app.post(
      '/custom/import',
      {
        schema: {
          tags,
          summary: 'Import a scenario file (the same JSON format as the built-in ones and the export)',
          description: 'The file’s `id` is ignored: the import is a new scenario of yours.',
          querystring: CustomScenarioImportQuerySchema,
          body: CustomScenarioSchema,
          response: { 201: CustomScenarioRecordSchema, ...errors },
        },
      },
      async (request, reply) => {
        const record = await scenarios.createCustom(
          principalOf(request).user.id,
          request.body,
          request.query.visibility,
        );
        return reply.status(201).send(record);
      },
    );

    app.get(
      '/custom/:id',
      {
        schema: {
          tags,
          summary: 'One custom scenario (yours, or a public one)',
          params: IdParams,
          response: { 200: CustomScenarioRecordSchema, ...errors },
        },
      },
      async (request) => scenarios.getCustom(principalOf(request).user.id, request.params.id),
    );

    app.put(
      '/custom/:id',
      {
        schema: {
          tags,
          summary: 'Replace your scenario',
          params: IdParams,
          body: CustomScenarioBodySchema,
          response: { 200: CustomScenarioRecordSchema, ...errors },
        },
      },
      async (request) => {
        const { scenario, visibility } = request.body;
        return scenarios.updateCustom(principalOf(request).user.id, request.params.id, scenario, visibility);
      },
    );

    app.delete(
      '/custom/:id',
      {
        schema: { tags, summary: 'Delete your scenario', params: IdParams, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await scenarios.deleteCustom(principalOf(request).user.id, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/custom/:id/export',
      {
        schema: {
          tags,
          summary: 'Download a scenario as a JSON file to import elsewhere',
          params: IdParams,
          response: { 200: CustomScenarioSchema, ...errors },
        },
      },
      async (request, reply) => {
        const file = await scenarios.exportCustom(principalOf(request).user.id, request.params.id);
        reply.header('content-disposition', `attachment; filename="${request.params.id}.json"`);
        return file;
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'One scenario in full; with `language`, only that language’s content',
          params: IdParams,
          querystring: ScenarioDetailQuerySchema,
          response: { 200: ScenarioViewSchema, ...errors },
        },
      },
      async (request) => scenarios.get(principalOf(request).user.id, request.params.id, request.query.language),
    );

    app.get(
      '/:id/history',
      {
        schema: {
          tags,
          summary: 'Your finished attempts at a scenario, newest first',
          params: IdParams,
          response: { 200: z.array(ScenarioAttemptSchema), ...errors },
        },
      },
      async (request) => scenarios.history(principalOf(request).user.id, request.params.id),
    );
  };
}
