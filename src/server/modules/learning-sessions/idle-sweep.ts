import type { FastifyBaseLogger } from 'fastify';
import { every } from '../../lib/periodic.js';
import type { LearningSessionService } from './learning-sessions.service.js';

/**
 * Runs the idle-session sweep every `intervalMs` for as long as the process lives; answers the function that
 * stops it. A failed sweep is logged and the next one tries again.
 */
export function startIdleSweep(
  sessions: Pick<LearningSessionService, 'closeIdleSessions'>,
  intervalMs: number,
  log: Pick<FastifyBaseLogger, 'info' | 'error'>,
): () => void {
  return every(
    intervalMs,
    async () => {
      const closed = await sessions.closeIdleSessions();
      if (closed > 0) log.info({ closed }, 'closed idle learning sessions');
    },
    (err) => log.error({ err }, 'idle session sweep failed'),
  );
}
