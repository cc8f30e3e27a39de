// npx ts-node -r tsconfig-paths/register --transpile-only bench/trust.bench.ts
// The pure trust engine on one long relationship (1,000 stored events): derive
// its evidence, its whole trajectory and its score as of now, many times over.
// Then, for scale, a year of weekly program trend over many relationships.
import {
  deriveEvidence,
  programTrend,
  trustScore,
  trustTrajectory,
  type RelationshipEvidence,
  type RelationshipFact,
} from '@trustline/domain/trust';
import { RelationshipHistory, T0, days, hours, minutes } from '@trustline/testing';
import type { Party } from '@trustline/domain/relationship/relationship.events';
import { machine, seededRandom } from './bench-kit';

const EVENTS = Number(process.env.BENCH_TRUST_EVENTS ?? 1000);
const RUNS = Number(process.env.BENCH_TRUST_RUNS ?? 300);
const WARM_UP = 50;
const TARGET_MS = 5;
const TREND_RELATIONSHIPS = Number(process.env.BENCH_TREND_RELATIONSHIPS ?? 2000);
const TREND_EVENTS_EACH = 100;

// Every run scores the same history.
const { next: random, pick, chance, between } = seededRandom(0x2f6b3c1d);
const rating = (): number => pick(2, 3, 4, 4, 5, 5);

type Recording = { at: number; record: (history: RelationshipHistory) => void };

// A realistic mix: a meeting every one to three weeks (mostly held, some
// missed, cancelled or moved), a promise per meeting (mostly kept, some late,
// renegotiated, broken or left open), check-ins every couple of months, the
// odd motive assessment and pause. Facts are recorded in time order.
const generateHistory = (events: number, relationshipId = 'bench'): { facts: RelationshipFact[]; now: number } => {
  const recordings: Recording[] = [];
  let clock = T0;
  let cycle = 0;
  const add = (at: number, record: Recording['record']) => recordings.push({ at, record });
  // RelationshipStarted is the first event; stop a cycle short of the target and top up with check-ins.
  while (recordings.length + 1 < events - 12) {
    cycle += 1;
    clock += days(between(10, 20));
    const meetingId = `m${cycle}`;
    const start = clock + hours(pick(9, 10, 14, 16));
    const by: Party = chance(0.7) ? 'MENTOR' : 'MENTEE';
    add(start - days(7), (h) => h.schedule(start - days(7), meetingId, start, by));
    let startsAt = start;
    if (chance(0.1)) {
      const movedAt = start - hours(between(1, 100));
      startsAt = start + days(2);
      const moved = startsAt;
      add(movedAt, (h) => h.reschedule(movedAt, meetingId, moved, pick('MENTOR', 'MENTEE')));
    }
    const outcome = random();
    if (outcome < 0.8) {
      const held = startsAt;
      add(held, (h) => h.held(held, { meetingId, mentor: pick(0, 0, 0, 3, 7, 12), mentee: pick(0, 0, 2, 6, 15) }));
    } else if (outcome < 0.88) {
      const missed = startsAt;
      add(missed, (h) => h.missed(missed, [pick('MENTOR', 'MENTEE')], meetingId));
    } else {
      const cancelledAt = startsAt - hours(between(-0.5, 72));
      add(cancelledAt, (h) => h.cancel(cancelledAt, meetingId, pick('MENTOR', 'MENTEE')));
    }

    const promiseId = `p${cycle}`;
    const madeAt = startsAt + minutes(50);
    const dueAt = madeAt + days(between(5, 20));
    add(madeAt, (h) => h.promise(madeAt, promiseId, pick('MENTOR', 'MENTEE'), dueAt));
    const fate = random();
    if (fate < 0.6) {
      const keptAt = dueAt - days(between(-3, 4));
      add(keptAt, (h) => h.keep(keptAt, promiseId));
    } else if (fate < 0.75) {
      const renegotiatedAt = dueAt - days(between(-2, 2));
      const newDueAt = renegotiatedAt + days(7);
      add(renegotiatedAt, (h) => h.renegotiate(renegotiatedAt, promiseId, newDueAt));
      add(newDueAt - hours(3), (h) => h.keep(newDueAt - hours(3), promiseId));
    } else if (fate < 0.85) {
      const brokenAt = dueAt + days(between(-2, 10));
      add(brokenAt, (h) => h.break(brokenAt, promiseId));
    }
    if (cycle % 4 === 0) {
      for (const respondent of ['MENTOR', 'MENTEE'] as const) {
        const at = startsAt + hours(3);
        add(at, (h) =>
          h.checkIn(at, respondent, {
            ability: rating(),
            benevolence: rating(),
            integrity: rating(),
            organization: rating(),
          }),
        );
      }
    }
    if (cycle % 25 === 1) {
      const at = startsAt + hours(4);
      add(at, (h) => h.motives(at, pick('DEVELOP_MENTEE', 'GIVE_BACK', 'EXPAND_NETWORK'), chance(0.8)));
    }
    if (cycle % 40 === 0) {
      const pausedAt = startsAt + days(2);
      const resumedAt = pausedAt + days(between(7, 21));
      add(pausedAt, (h) => h.pause(pausedAt));
      add(resumedAt, (h) => h.resume(resumedAt));
      clock = resumedAt;
    }
  }
  recordings.sort((a, b) => a.at - b.at);
  const history = new RelationshipHistory({ relationshipId, cadenceDays: 14 });
  for (const { record } of recordings) record(history);
  const now = Math.max(clock, recordings[recordings.length - 1].at) + days(3);
  while (history.facts.length < events) {
    history.checkIn(now - minutes(history.facts.length), 'MENTEE', { ability: 4, benevolence: 4, integrity: 4 });
  }
  return { facts: history.facts, now };
};

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

const timeRuns = (runs: number, work: () => unknown, warmUp = WARM_UP): { median: number; p95: number } => {
  for (let i = 0; i < warmUp; i += 1) work();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), p95: percentile(times, 0.95) };
};

const ms = (value: number): string => `${value.toFixed(3)} ms`;

const main = (): void => {
  console.log(`# Trust engine benchmark\n\n${machine()}\n`);
  const { facts, now } = generateHistory(EVENTS);
  const counts = new Map<string, number>();
  for (const fact of facts) counts.set(fact.event.type, (counts.get(fact.event.type) ?? 0) + 1);
  const sample = deriveEvidence(facts, now);
  const span = (now - T0) / days(1);
  console.log(
    `One relationship: ${facts.length} events over ${span.toFixed(0)} days, ${sample.items.length} evidence items, ` +
      `${trustTrajectory(sample, 'MENTEE_IN_MENTOR').length} trajectory points (MENTEE_IN_MENTOR).`,
  );
  console.log(`Mix: ${[...counts].map(([type, count]) => `${type} ${count}`).join(', ')}\n`);

  const cases: { name: string; work: () => unknown }[] = [
    { name: 'derive evidence', work: () => deriveEvidence(facts, now) },
    { name: 'trajectory (evidence given)', work: () => trustTrajectory(sample, 'MENTEE_IN_MENTOR') },
    { name: 'score as of now (evidence given)', work: () => trustScore(sample, 'MENTEE_IN_MENTOR', now) },
    {
      name: 'all three from the facts',
      work: () => {
        const evidence = deriveEvidence(facts, now);
        return [trustTrajectory(evidence, 'MENTEE_IN_MENTOR'), trustScore(evidence, 'MENTEE_IN_MENTOR', now)];
      },
    },
  ];
  console.log(`| case (${RUNS} runs) | median | p95 | target |\n|---|---:|---:|---|`);
  for (const { name, work } of cases) {
    const { median, p95 } = timeRuns(RUNS, work);
    const verdict =
      name === 'all three from the facts' ? `< ${TARGET_MS} ms: ${median < TARGET_MS ? 'met' : 'MISSED'}` : '';
    console.log(`| ${name} | ${ms(median)} | ${ms(p95)} | ${verdict} |`);
  }

  // Scale check: the engine's share of a program trend (evidence derived once per relationship).
  const relationships: RelationshipEvidence[] = [];
  let trendEvents = 0;
  let trendNow = 0;
  for (let i = 0; i < TREND_RELATIONSHIPS; i += 1) {
    const generated = generateHistory(TREND_EVENTS_EACH, `rel-${i}`);
    trendEvents += generated.facts.length;
    trendNow = Math.max(trendNow, generated.now);
    relationships.push(deriveEvidence(generated.facts, generated.now));
  }
  const program = { launchedAt: T0, communications: [] };
  const from = trendNow - days(365);
  const query = { now: trendNow, from, bucket: 'WEEK' as const };
  const buckets = programTrend(program, relationships, query).length;
  const trend = timeRuns(10, () => programTrend(program, relationships, query), 3);
  console.log(
    `\nProgram trend, ${buckets} weekly buckets over ${TREND_RELATIONSHIPS} relationships / ${trendEvents} events ` +
      `(evidence derived beforehand): median ${ms(trend.median)}, p95 ${ms(trend.p95)}`,
  );
};

main();
