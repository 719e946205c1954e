import { parentPort, workerData } from 'node:worker_threads';
import { SpellHost, type SpellHostOptions, type SpellRequest } from './spell-host.js';

// The spelling worker thread's entry: one SpellHost, answering { id, request } with { id, ok, result | error }.
const host = new SpellHost((workerData ?? {}) as SpellHostOptions);

parentPort?.on('message', (message: { id: number; request: SpellRequest }) => {
  host.handle(message.request).then(
    (result) => parentPort?.postMessage({ id: message.id, ok: true, result }),
    (error: unknown) =>
      parentPort?.postMessage({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : `${error}`,
      }),
  );
});
