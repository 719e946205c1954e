// `npm run bench`: builds the server when dist/ is missing or older than its sources, then runs the suites.
// Only the server is built: the benchmark measures API routes and never loads the web UI, so a web build
// (slower, and irrelevant here) is neither needed nor allowed to fail the benchmark.
import { spawnSync } from 'node:child_process';
import { ensureServerBuilt } from '../bench/build.mjs';

ensureServerBuilt();

// Three suites, each in its own process so one's servers and memory never weigh on the next:
//   core   bench/run.mjs        the ledger (floor, lifecycle, list) and review (queue, answer, optimizer, quality)
//   ai     bench/ai-gateway.mjs the AI gateway's time to first token vs direct, and budget reservation throughput
//   tutor  bench/tutor.mjs      offline tutor replies, HTTP turns, SSE first token through the whole stack
// BENCH_SUITES (default core,ai,tutor) picks suites; BENCH_ONLY still picks scenarios within core.
const SUITES = { core: 'bench/run.mjs', ai: 'bench/ai-gateway.mjs', tutor: 'bench/tutor.mjs' };
const chosen = (process.env.BENCH_SUITES || Object.keys(SUITES).join(',')).split(',').map((s) => s.trim());
const unknown = chosen.filter((s) => !(s in SUITES));
if (unknown.length)
  throw new Error(`BENCH_SUITES: unknown suite ${unknown.join(', ')} (known: ${Object.keys(SUITES)})`);
let failed = 0;
for (const suite of chosen) {
  console.log(`\n=== bench suite: ${suite} ===`);
  // A BENCH_NAME given for several suites gets the suite's name appended, or each would overwrite the last's file.
  const name =
    process.env.BENCH_NAME && chosen.length > 1 ? `${process.env.BENCH_NAME}-${suite}` : process.env.BENCH_NAME;
  const run = spawnSync(process.execPath, [SUITES[suite]], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_SKIP_BUILD: '1', ...(name ? { BENCH_NAME: name } : {}) },
  });
  if (run.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
