import * as os from 'node:os';

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
