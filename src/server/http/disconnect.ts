import type { FastifyReply } from 'fastify';

/**
 * A signal that aborts when the client goes away before the answer is complete, so a model call it started
 * stops (its usage so far is still recorded) instead of running on for nobody.
 */
export function abortOnDisconnect(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
