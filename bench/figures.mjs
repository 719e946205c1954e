// Shared by the AI gateway and tutor suites: percentiles and summaries, CPU and memory readings from /proc, the
// machine's description, plain-text tables, and temporary SQLite files removed when the process exits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---- statistics -------------------------------------------------------------------------------------------------------

export const sorted = (values) => [...values].sort((a, b) => a - b);

/** A small deterministic PRNG (mulberry32): numbers in [0, 1), the same sequence for the same seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  return values[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
}

/** n, p50, p95, p99, max and mean of the values (null and undefined left out). */
export function summary(values) {
  const s = sorted(values.filter((v) => v !== null && v !== undefined));
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.at(-1) ?? null,
    mean: s.reduce((sum, v) => sum + v, 0) / (s.length || 1),
  };
}

// ---- the machine ------------------------------------------------------------------------------------------------------

let ticksPerSecond;
const clockTicks = () =>
  (ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100);

/** User + system CPU seconds of a process so far, from /proc (Linux); null elsewhere. */
export function processCpu(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return null;
  }
}

/** Resident memory of a process in bytes, from /proc (Linux); null elsewhere. */
export function processRss(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds of the whole machine so far, from /proc/stat (Linux; null elsewhere): `user` (with nice), `system`,
 * and `steal`, the time the hypervisor gave this virtual machine's cores to other guests.
 */
export function machineCpu() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { user: (f[0] + f[1]) / clockTicks(), system: f[2] / clockTicks(), steal: (f[7] ?? 0) / clockTicks() };
  } catch {
    return null;
  }
}

/** The machine and the versions of `packages` (from node_modules), for the result file. */
export function machine(packages) {
  const version = (pkg) => JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    ...Object.fromEntries(Object.entries(packages).map(([key, pkg]) => [key, version(pkg)])),
    loadAverageAtStart: loadavg().map((v) => Number(v.toFixed(2))),
  };
}

// ---- printing ---------------------------------------------------------------------------------------------------------

export const fmt = (v) => (v === null || v === undefined ? '—' : v.toFixed(2));
export const int = (v) => Math.round(v).toLocaleString('en');
export const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(0)}%`);
export const mib = (bytes) => (bytes === null || bytes === undefined ? '—' : (bytes / 2 ** 20).toFixed(0));

/** Rows of strings as a plain-text table: the first column left-aligned, the others right-aligned. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---- temporary databases ----------------------------------------------------------------------------------------------

const tempDirs = new Set();
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A SQLite file in a directory of its own, removed by `remove()` or, at the latest, when the process exits. */
export function tempSqlite(label) {
  const dir = mkdtempSync(join(tmpdir(), `tutor-bench-${label}-`));
  tempDirs.add(dir);
  const file = join(dir, 'tutor.db');
  return {
    file,
    url: `sqlite:${file}`,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
}
