import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** What one checkpoint did: the WAL's length in pages and how many of them are now in the database file. */
export interface CheckpointResult {
  walPages: number;
  checkpointedPages: number;
}

export interface WalCheckpointer {
  /** Checkpoints now (tests, and the last step before closing). */
  checkpoint(): Promise<CheckpointResult>;
  /** Stops the worker and closes its connection. */
  stop(): Promise<void>;
}

/** How often the worker copies the WAL's new pages into the database file. */
const CHECKPOINT_INTERVAL_MS = 100;
/** SQLite's own default, restored on the main connection if the worker dies. */
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// The worker's whole program. It is plain JavaScript evaluated by worker_threads (so it runs the same from the
// TypeScript sources under test and from the build), and it loads better-sqlite3 from the path the main thread
// resolved. A PASSIVE checkpoint never waits for a lock and never blocks the main connection's readers or writer;
// once every page is back in the database file, the next write starts the WAL from its beginning again.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 0');
function checkpoint() {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)');
  return { walPages: row.log, checkpointedPages: row.checkpointed };
}
const timer = setInterval(() => {
  try { checkpoint(); } catch (err) { /* busy: another checkpoint runs; the next tick tries again */ }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.type === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: message.id, result: checkpoint() });
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: String(err && err.message ? err.message : err) });
  }
});
`;

/**
 * SQLite's automatic checkpoint runs inside whichever commit crosses the WAL's size limit, and copying ~1,000 pages
 * into the database file stalls that one request (20–30 ms here, the review benchmark's whole p99). Instead the
 * connection's automatic checkpoint is turned off and a worker thread with its own connection to `file` (the
 * connection's own file; tests may name another) checkpoints every CHECKPOINT_INTERVAL_MS, off the event loop. If
 * the worker dies, the connection's automatic checkpoint is turned back on rather than let the WAL grow.
 */
export function startWalCheckpointer(connection: SQLite.Database, file: string = connection.name): WalCheckpointer {
  connection.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  // Between checkpoints the worker must never keep a finished process (a CLI command, a test run) alive.
  worker.unref();
  const pending = new Map<number, { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | null = null;
  let stopped = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  worker.on('message', (message: { id: number; result?: CheckpointResult; error?: string }) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiting.reject(new Error(`WAL checkpoint failed: ${message.error}`));
    else waiting.resolve(message.result!);
  });
  const fail = (err: Error) => {
    if (failure || stopped) return;
    failure = err;
    for (const waiting of pending.values()) waiting.reject(err);
    pending.clear();
    if (connection.open) connection.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the WAL checkpoint worker stopped (exit code ${code})`)));

  return {
    checkpoint() {
      if (failure) return Promise.reject(failure);
      if (stopped) return Promise.reject(new Error('the WAL checkpoint worker is stopped'));
      const id = nextId++;
      return new Promise<CheckpointResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, type: 'checkpoint' });
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (failure) return;
      // Held until it has closed its connection: an unreferenced worker would let the process end mid-close.
      worker.ref();
      worker.postMessage({ type: 'stop' });
      await exited;
    },
  };
}
