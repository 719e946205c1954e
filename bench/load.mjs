// Load generation with autocannon. Each scenario runs a warm-up (results thrown away: JIT, caches, SQLite pages)
// and then the measured run. Latencies are recorded here from every response, unrounded, because autocannon's
// own histogram keeps whole milliseconds and the list target (p99 <= 5 ms) needs finer than that.
import autocannon from 'autocannon';
import { machineCpuSeconds } from './servers.mjs';

/**
 * Runs `options` (autocannon's, minus url/duration) for `warmupSeconds`, then for `seconds`, against `url`.
 * `onMeasuredStart` is called between the two, so per-scenario counters only count the measured run.
 */
export async function measure({
  url,
  connections,
  seconds,
  warmupSeconds,
  options = {},
  onMeasuredStart = () => {},
  server,
}) {
  if (warmupSeconds > 0) await run({ url, connections, duration: warmupSeconds, ...options });
  onMeasuredStart();
  const serverCpuBefore = server?.cpuSeconds() ?? null;
  const ownCpuBefore = process.cpuUsage();
  const machineBefore = machineCpuSeconds();
  const latencies = [];
  const result = await run({ url, connections, duration: seconds, ...options }, (statusCode, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const serverCpuAfter = server?.cpuSeconds() ?? null;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const machineAfter = machineCpuSeconds();
  latencies.sort((a, b) => a - b);
  const measured =
    serverCpuBefore !== null && serverCpuAfter !== null && machineBefore !== null && machineAfter !== null;
  const perSecond = (seconds) => seconds / result.duration;
  const serverCpu = measured
    ? perSecond(serverCpuAfter.user + serverCpuAfter.system - serverCpuBefore.user - serverCpuBefore.system)
    : null;
  const loadGeneratorCpu = perSecond((ownCpu.user + ownCpu.system) / 1e6);
  // Other programs' user-space time: the machine's, less the server's and this process's own.
  const othersCpu = measured
    ? Math.max(
        0,
        perSecond(
          machineAfter.user - machineBefore.user - (serverCpuAfter.user - serverCpuBefore.user) - ownCpu.user / 1e6,
        ),
      )
    : null;
  const stealCpu = measured ? perSecond(machineAfter.steal - machineBefore.steal) : null;
  const responses = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    seconds: result.duration,
    connections,
    responses,
    requestsPerSecond: responses / result.duration,
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? null,
      mean: latencies.reduce((sum, v) => sum + v, 0) / (latencies.length || 1),
    },
    // Share of one core used while measuring: a server near 100% is the bottleneck; one well below it is
    // waiting (on the load generator, which shares this machine's cores, or on I/O).
    // `others` is what other programs ran meanwhile, `steal` what the hypervisor gave to other virtual machines:
    // more than a few percent of a core of either means the figures understate what this machine can do.
    cpu: { server: serverCpu, loadGenerator: loadGeneratorCpu, others: othersCpu, steal: stealCpu },
    // The server's CPU time per answered request: hardly moved by other programs sharing the machine.
    serverCpuUsPerRequest:
      serverCpu === null || responses === 0 ? null : (serverCpu * 1e6) / (responses / result.duration),
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function run(opts, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
    if (onResponse)
      instance.on('response', (_client, statusCode, _bytes, responseTime) => onResponse(statusCode, responseTime));
  });
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
