import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from './app.js';
import type { Config } from './config.js';

/** Builds the app and listens; answers the running app and the address it listens on. */
export async function startServer(
  config: Config,
  deps: AppDeps = {},
): Promise<{ app: FastifyInstance; address: string }> {
  const app = await buildApp(config, deps);
  const address = await app.listen({ port: config.port, host: config.host });
  return { app, address };
}

/** Closes the app on SIGTERM or SIGINT: stops accepting, lets requests in flight finish, closes the database. */
export function closeOnSignals(app: FastifyInstance, exit: (code: number) => void = process.exit): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
