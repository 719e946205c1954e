import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { ErrorBodySchema } from '../../../shared/errors.js';
import type { DB } from '../../db/schema.js';
import { DomainError } from '../../http/errors.js';

/** `GET /api/health`: ok once the database answers a query. */
export function healthRoutes(db: Kysely<DB>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['health'],
          summary: 'Liveness and database readiness',
          response: { 200: z.object({ status: z.literal('ok') }), 503: ErrorBodySchema },
        },
      },
      async () => {
        try {
          await sql`select 1`.execute(db);
        } catch {
          throw new DomainError('database_unavailable', 'the database does not answer');
        }
        return { status: 'ok' as const };
      },
    );
  };
}
