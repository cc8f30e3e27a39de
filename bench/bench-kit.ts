import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Shared by the benchmark scripts: every figure is a ratio against a baseline
// measured in the same run, so the machine's speed cancels out.

export interface Measured {
  name: string;
  operations: number;
  seconds: number;
}

export async function measure(name: string, operations: number, run: () => unknown): Promise<Measured> {
  const started = process.hrtime.bigint();
  await run();
  return { name, operations, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export const perSecond = (m: Measured): number => m.operations / m.seconds;

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** A markdown table row per pair: ours beside its baseline, and the ratio against a target. */
export function ratioTable(rows: { ours: Measured; baseline: Measured; target: number }[]): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    '| case | Trustline ops/s | baseline ops/s | ratio | target | |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(({ ours, baseline, target }) => {
      const ratio = perSecond(ours) / perSecond(baseline);
      return `| ${ours.name} | ${fmt(perSecond(ours))} | ${fmt(perSecond(baseline))} | ${ratio.toFixed(2)} | ≥ ${target} | ${ratio >= target ? 'met' : 'MISSED'} |`;
    }),
  ];
  return lines.join('\n');
}

/** A small deterministic generator (mulberry32), so a benchmark's data is the same on every run. */
export function seededRandom(seed: number) {
  let state = seed | 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (low: number, high: number): number => low + next() * (high - low),
    chance: (p: number): boolean => next() < p,
    pick: <T>(...options: T[]): T => options[Math.floor(next() * options.length)],
  };
}

/**
 * How much of each file the OS holds in its page cache, and how much written data awaits writeback: a first
 * start after a restart reads what is not resident from disk, and competes with that writeback. This VM gives
 * page cache back within minutes (DAMON), so "cold" differs run to run; the benches print this beside their
 * cold figures. Linux only (util-linux `fincore`, /proc/meminfo); "unknown" elsewhere.
 */
export function pageCacheState(files: string[]): string {
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
  const resident = files.map((file) => {
    const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
    const found = spawnSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' });
    const bytes = found.status === 0 ? Number(found.stdout.trim()) : NaN;
    const held = Number.isFinite(bytes) ? mb(bytes) : 'unknown';
    return `${path.basename(file)} ${held} of ${mb(size)} in the page cache`;
  });
  const meminfo = fs.existsSync('/proc/meminfo') ? fs.readFileSync('/proc/meminfo', 'utf8') : '';
  const dirtyKb = /^Dirty:\s+(\d+) kB/m.exec(meminfo)?.[1];
  const dirty = dirtyKb === undefined ? 'unknown' : mb(Number(dirtyKb) * 1024);
  return `${resident.join('; ')}; ${dirty} dirty awaiting writeback`;
}

/** A server answering `{}` to anything, in a process of its own; it prints its port. */
const THROWAWAY_SERVER = `require('node:http')
  .createServer((request, response) => request.resume().on('end', () => response.end('{}')))
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

/**
 * Sends one request with the global fetch to a throwaway server in another process. Node loads and compiles its
 * HTTP client (undici) on the first fetch, 30–90 ms on this machine: a bench that times a server's first answer
 * calls this before, so that the figure is the server's and not its own client's warm-up. The throwaway server
 * runs elsewhere so that nothing of a server's side (Node's own HTTP server code included) is warmed up here,
 * where bench:trend runs the server it measures.
 */
export async function warmUpFetch(): Promise<void> {
  const server = spawn(process.execPath, ['-e', THROWAWAY_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [printed] = (await once(server.stdout, 'data')) as [Buffer];
    const response = await fetch(`http://127.0.0.1:${Number(printed.toString())}/`, { method: 'POST', body: '{}' });
    await response.json();
  } finally {
    server.kill();
  }
}
