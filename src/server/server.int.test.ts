import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { testDatabases } from './test/databases.js';
import { testConfig } from './test/harness.js';
import { buildApp } from './app.js';
import { closeOnSignals, startServer } from './server.js';

describe('the server process', () => {
  it('listens, answers health over real HTTP, and closes gracefully on SIGTERM', async () => {
    const database = await testDatabases()[0]!.open();
    const { app, address } = await startServer(testConfig({ port: 0 }), { database });
    const res = await fetch(`${address}/api/health`);
    expect(await res.json()).toEqual({ status: 'ok' });

    const exited = new Promise<number>((resolve) => closeOnSignals(app, resolve));
    process.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${address}/api/health`)).rejects.toThrow();
    await database.close();
  });

  it('stops at start with a message naming a bad variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, PORT: 'abc' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('PORT: must be a number (got "abc")');
  });
});

describe('shutdown', () => {
  it('exits with 1 when closing fails', async () => {
    const database = await testDatabases()[0]!.open();
    const app = await buildApp(testConfig(), { database });
    app.addHook('onClose', async () => {
      throw new Error('stuck');
    });
    const exited = new Promise<number>((resolve) => closeOnSignals(app, resolve));
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT'); // a second signal while closing changes nothing
    expect(await exited).toBe(1);
    await database.close();
  });
});
