// Servers under test: each runs in a child process of its own on 127.0.0.1 and a free port, so the load
// generator (in this process) and the server do not share an event loop. Every child is tracked and killed
// when the benchmark ends, however it ends.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
/** The built app (`npm run build:server`). */
const APP = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'server', 'main.js');
/** Every server runs with this log level, so logging is the same (and not the bottleneck) for all of them. */
export const LOG_LEVEL = 'warn';
const children = new Set();

function killAllNow() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

async function freePort() {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts the built app on the database at `databaseUrl` (plus `env`) and waits until its health check answers. */
export function startApp({ databaseUrl, env = {}, name = 'app', nodeArgs = [] }) {
  return startServer({
    name,
    script: APP,
    env: { DATABASE_URL: databaseUrl, ...env },
    readyPath: '/api/health',
    nodeArgs,
  });
}

/**
 * Starts `node <script>` with only the environment given (plus PATH) and waits until `readyPath` answers 200.
 * `nodeArgs` lets a profiling run add flags such as --cpu-prof.
 */
export async function startServer({ name, script, env = {}, readyPath, nodeArgs = [] }) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', HOST, PORT: String(port), LOG_LEVEL, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const url = `http://${HOST}:${port}`;
  const server = { name, url, port, pid: child.pid, cpuSeconds: () => cpuSeconds(child.pid), stop: () => stop(child) };
  try {
    await waitUntilReady(child, `${url}${readyPath}`);
  } catch (err) {
    await stop(child);
    throw new Error(`${name} did not start: ${err.message}`);
  }
  return server;
}

/**
 * Starts the LLM protocol fake (src/server/test/llm-fakes, through tsx: it is test code, not part of dist/) as
 * `node <args>` and waits until it prints the address it listens on. Tracked and stopped like the servers.
 */
export async function startFakeLlm(args, cwd) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  try {
    const url = await new Promise((resolveUrl, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error('the fake provider did not start within 30 s')), 30_000);
      child.once('exit', (code, signal) => reject(new Error(`the fake provider exited (${code ?? signal})`)));
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /fake-llm listening on (\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]);
        }
      });
    });
    child.stdout.resume();
    return { url, pid: child.pid, stop: () => stop(child) };
  } catch (err) {
    await stop(child);
    throw err;
  }
}

let ticksPerSecond;
const clockTicks = () =>
  (ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);

/** CPU seconds (user, system) the process has used so far, from /proc on Linux; null elsewhere. */
function cpuSeconds(pid) {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(fields[11]) / clockTicks(), system: Number(fields[12]) / clockTicks() };
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far on the whole machine (all cores), from /proc/stat on Linux; null elsewhere. `user` is
 * every process's user-space time (kernel time is left out: loopback networking lands there and is not "someone
 * else"); `steal` is time the hypervisor gave this virtual machine's cores to other guests.
 */
export function machineCpuSeconds() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, , , , , , steal] = fields;
    return { user: (user + nice) / clockTicks(), steal: (steal ?? 0) / clockTicks() };
  } catch {
    return null;
  }
}

async function waitUntilReady(child, url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** SIGTERM (the app closes gracefully, and a --cpu-prof profile gets written), then SIGKILL after 10 s. */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Stops every server still running; for the `finally` of the whole run. */
export async function stopAll() {
  await Promise.all([...children].map(stop));
}
