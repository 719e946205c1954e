// The floor: a bare Fastify route answering { "ok": true }, run the way the app runs (its own node process,
// Fastify's pino logger at the same LOG_LEVEL, listening on HOST:PORT), with none of the app's plugins, hooks,
// schemas or database. What the app achieves is read against this.
//
// For bench/http-layers.mjs only, FLOOR_LAYERS (comma list) adds the app's framework layers one at a time, with
// the settings src/server/app.ts uses, so each layer's cost per request can be read off:
//   options  the app's Fastify options: logger redaction, x-request-id header, randomUUID request ids
//   zod      fastify-type-provider-zod validator and serializer, with a zod response schema on the route
//   hooks    the app's onSend hook (x-request-id) and an async preHandler (where authentication runs)
//   cookie   @fastify/cookie
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

const layers = new Set((process.env.FLOOR_LAYERS ?? '').split(',').filter(Boolean));
const logger = { level: process.env.LOG_LEVEL ?? 'warn' };
const app = Fastify(
  layers.has('options')
    ? {
        logger: { ...logger, redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'] },
        requestIdHeader: 'x-request-id',
        genReqId: () => randomUUID(),
        routerOptions: { maxParamLength: 1000 },
      }
    : { logger },
);
let schema;
if (layers.has('zod')) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  schema = { response: { 200: z.object({ ok: z.boolean() }) } };
}
if (layers.has('hooks')) {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('preHandler', async () => {});
}
if (layers.has('cookie')) await app.register(cookie);
app.get('/', schema ? { schema } : {}, async () => ({ ok: true }));

await app.listen({ port: Number(process.env.PORT), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => app.close().then(() => process.exit(0)));
}
