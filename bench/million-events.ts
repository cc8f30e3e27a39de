// The data set of bench:trend and bench:restart: one program with 10,000
// mentoring relationships and about 1,000,000 stored events, in an embedded
// store with its read models already built. Generating it takes a minute or
// two, so it is kept in a temporary folder and reused while its recipe is
// unchanged (BENCH_DATA_DIR moves it; deleting the folder regenerates it).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '@trustline/domain';
import { EVENTS_FILE, SqliteEventStore, streamName } from '@trustline/event-store';
import { READ_MODEL_PROJECTIONS, rebuildReadModel } from '@trustline/projections';
import { eventsToAppend } from '@trustline/testing';
import { seededRandom } from './bench-kit';

/** Bump when the recipe below changes: a folder made by another recipe is regenerated. */
const RECIPE = 2;
const RELATIONSHIPS = Number(process.env.BENCH_RELATIONSHIPS ?? 10_000);
/** With two participants each and the program's own stream this makes about 1,000,000 events. */
const EVENTS_PER_RELATIONSHIP = 98;
const CADENCE_DAYS = 14;
const COMMUNICATIONS = 60;
/** Relationships start between these many days before the data set's "now". */
const STARTED_DAYS_AGO = { earliest: 640, latest: 250 } as const;
/** Streams interleave in the store as in production: each append holds one stream's events of one window. */
const APPEND_WINDOW_DAYS = 28;

export const BENCH_DATA_DIR = process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), 'trustline-bench-1m');
export const READ_MODEL_FILE = 'read.db';
const MANIFEST_FILE = 'manifest.json';

export interface BenchDataSet {
  dir: string;
  eventsFile: string;
  readModelFile: string;
  programId: string;
  /** A few relationship ids, for single-relationship queries. */
  sampleRelationshipIds: string[];
  relationships: number;
  events: number;
  /** The instant the histories were written up to (ms). */
  generatedAt: number;
}

interface Manifest extends Omit<BenchDataSet, 'dir' | 'eventsFile' | 'readModelFile'> {
  recipe: number;
  /** The projections read.db was built by: when they change, only read.db is built again. */
  readModels: string;
}

const readModelsSignature = (): string => READ_MODEL_PROJECTIONS.map((p) => `${p.name}@${p.version}`).join(',');

const DAY = MS_PER_DAY;
const HOUR = MS_PER_HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();

// Ids derived from a counter keep the generation cheap and the histories reproducible.
const uuidOf = (label: string): string => {
  const hex = createHash('sha1').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

type Fact = { type: string; at: number; data: Record<string, unknown> };

interface Story {
  stream: string;
  facts: Fact[];
}

/**
 * One relationship in time order: a meeting every one to three weeks (mostly
 * held, some moved, cancelled or missed), a promise after each (mostly kept,
 * some late, renegotiated, broken or left open), check-ins by both sides now
 * and then, a pause or two; most that ran their course ended, the rest went quiet.
 */
function relationshipStory(index: number, programId: string, generatedAt: number): Story {
  const random = seededRandom(0x5eed + index * 7919);
  const relationshipId = uuidOf(`relationship-${index}`);
  const facts: Fact[] = [];
  const add = (type: string, at: number, data: Record<string, unknown>) =>
    facts.push({ type, at, data: { relationshipId, ...data, occurredAt: iso(at) } });
  const budget = EVENTS_PER_RELATIONSHIP - 1; // room for an end
  const start = generatedAt - Math.round(random.between(STARTED_DAYS_AGO.latest, STARTED_DAYS_AGO.earliest)) * DAY;
  add('RelationshipStarted', start, {
    programId,
    mentorId: uuidOf(`mentor-${index}`),
    menteeId: uuidOf(`mentee-${index}`),
    cadenceDays: CADENCE_DAYS,
  });
  add('MentorMotivesAssessed', start + DAY, {
    primaryMotive: random.pick('DEVELOP_MENTEE', 'GIVE_BACK', 'EXPAND_NETWORK', 'CAREER_VISIBILITY'),
    menteeDevelopmentFirst: random.chance(0.8),
    note: null,
  });
  let clock = start + DAY;
  for (let cycle = 1; facts.length + 8 <= budget && clock + 30 * DAY < generatedAt; cycle++) {
    clock += Math.round(random.between(9, 21)) * DAY;
    const meetingId = uuidOf(`meeting-${index}-${cycle}`);
    const by = random.chance(0.7) ? 'MENTOR' : 'MENTEE';
    let startsAt = clock + random.pick(9, 10, 14, 16) * HOUR;
    add('MeetingScheduled', startsAt - 7 * DAY, {
      meetingId,
      startsAt: iso(startsAt),
      durationMinutes: 60,
      mode: random.pick('VIRTUAL', 'IN_PERSON'),
      scheduledBy: by,
    });
    if (random.chance(0.1)) {
      const movedAt = startsAt - Math.round(random.between(1, 100)) * HOUR;
      add('MeetingRescheduled', movedAt, {
        meetingId,
        previousStartsAt: iso(startsAt),
        newStartsAt: iso(startsAt + 2 * DAY),
        by: random.pick('MENTOR', 'MENTEE'),
      });
      startsAt += 2 * DAY;
    }
    const outcome = random.next();
    if (outcome < 0.8) {
      add('MeetingHeld', startsAt + HOUR, {
        meetingId,
        startedAt: iso(startsAt),
        durationMinutes: 60,
        mentorMinutesLate: random.pick(0, 0, 0, 3, 7, 12),
        menteeMinutesLate: random.pick(0, 0, 2, 6, 15),
      });
    } else if (outcome < 0.88) {
      add('MeetingMissed', startsAt + 2 * HOUR, {
        meetingId,
        startsAt: iso(startsAt),
        absent: [random.pick('MENTOR', 'MENTEE')],
      });
    } else {
      const noticeHours = Math.round(random.between(1, 72));
      add('MeetingCancelled', startsAt - noticeHours * HOUR, {
        meetingId,
        startsAt: iso(startsAt),
        by: random.pick('MENTOR', 'MENTEE'),
        reason: 'Travel',
        noticeHours,
      });
    }

    const promiseId = uuidOf(`promise-${index}-${cycle}`);
    const promisor = random.pick('MENTOR', 'MENTEE');
    const madeAt = startsAt + 50 * MS_PER_MINUTE;
    const dueAt = madeAt + Math.round(random.between(5, 20)) * DAY;
    add('PromiseMade', madeAt, {
      promiseId,
      promisor,
      description: `Share the notes of meeting ${cycle}`,
      dueAt: iso(dueAt),
    });
    const fate = random.next();
    if (fate < 0.6) {
      add('PromiseKept', dueAt - Math.round(random.between(-3, 4) * 24) * HOUR, {
        promiseId,
        promisor,
        dueAt: iso(dueAt),
      });
    } else if (fate < 0.75) {
      const renegotiatedAt = dueAt - Math.round(random.between(-2, 2) * 24) * HOUR;
      const newDueAt = renegotiatedAt + 7 * DAY;
      add('PromiseRenegotiated', renegotiatedAt, {
        promiseId,
        promisor,
        previousDueAt: iso(dueAt),
        newDueAt: iso(newDueAt),
      });
      add('PromiseKept', newDueAt - 3 * HOUR, { promiseId, promisor, dueAt: iso(newDueAt) });
    } else if (fate < 0.85) {
      add('PromiseBroken', dueAt + Math.round(random.between(-2, 10)) * DAY, {
        promiseId,
        promisor,
        dueAt: iso(dueAt),
        reason: null,
      });
    }
    if (cycle % 3 === 0) {
      for (const respondent of ['MENTOR', 'MENTEE']) {
        const rating = () => random.pick(2, 3, 4, 4, 5, 5);
        add('TrustCheckInSubmitted', startsAt + 3 * HOUR, {
          checkInId: uuidOf(`check-in-${index}-${cycle}-${respondent}`),
          respondent,
          ability: rating(),
          benevolence: rating(),
          integrity: rating(),
          openness: cycle % 6 === 0 ? rating() : null,
          organization: cycle % 6 === 0 ? rating() : null,
        });
      }
    }
    if (cycle % 12 === 6 && random.chance(0.3)) {
      const pausedAt = startsAt + 2 * DAY;
      const resumedAt = pausedAt + Math.round(random.between(7, 21)) * DAY;
      add('RelationshipPaused', pausedAt, { until: iso(resumedAt + 7 * DAY), reason: 'Holidays' });
      add('RelationshipResumed', resumedAt, {});
      clock = resumedAt;
    }
  }
  // A relationship that ran out of time before its budget is topped up with check-ins in its last weeks.
  const last = Math.max(...facts.map((fact) => fact.at));
  for (let i = 0; facts.length < budget; i++) {
    const at = Math.min(last + (i + 1) * HOUR, generatedAt - HOUR);
    add('TrustCheckInSubmitted', at, {
      checkInId: uuidOf(`top-up-${index}-${i}`),
      respondent: i % 2 ? 'MENTOR' : 'MENTEE',
      ability: 4,
      benevolence: 4,
      integrity: 3,
      openness: null,
      organization: null,
    });
  }
  facts.sort((a, b) => a.at - b.at);
  const latest = facts[facts.length - 1].at;
  if (latest < generatedAt - 30 * DAY && random.chance(0.6)) {
    add('RelationshipEnded', latest + Math.round(random.between(1, 20)) * DAY, {
      endedBy: 'PROGRAM',
      reason: 'COMPLETED',
      planned: true,
    });
  } else {
    add('TrustCheckInSubmitted', Math.min(latest + DAY, generatedAt - HOUR), {
      checkInId: uuidOf(`last-${index}`),
      respondent: 'MENTEE',
      ability: 4,
      benevolence: 4,
      integrity: 4,
      openness: null,
      organization: null,
    });
  }
  return { stream: streamName('relationship', relationshipId), facts };
}

function programStories(programId: string, relationships: number, generatedAt: number): Story[] {
  const launchedAt = generatedAt - (STARTED_DAYS_AGO.earliest + 30) * DAY;
  const program: Fact[] = [
    {
      type: 'ProgramLaunched',
      at: launchedAt,
      data: {
        programId,
        name: 'Bench cohort',
        cadenceDays: CADENCE_DAYS,
        sessionMinutes: 60,
        occurredAt: iso(launchedAt),
      },
    },
  ];
  for (let c = 0; c < COMMUNICATIONS; c++) {
    const at = launchedAt + (c + 1) * 11 * DAY;
    program.push({
      type: 'ProgramCommunicationRecorded',
      at,
      data: {
        programId,
        communicationId: uuidOf(`communication-${c}`),
        channel: 'newsletter',
        summary: `Issue ${c}`,
        occurredAt: iso(at),
      },
    });
  }
  const stories: Story[] = [{ stream: streamName('program', programId), facts: program }];
  for (let r = 0; r < relationships; r++) {
    const story = relationshipStory(r, programId, generatedAt);
    const startedAt = story.facts[0].at;
    for (const role of ['MENTOR', 'MENTEE'] as const) {
      const participantId = uuidOf(`${role.toLowerCase()}-${r}`);
      const at = startedAt - DAY;
      stories.push({
        stream: streamName('participant', participantId),
        facts: [
          {
            type: 'ParticipantRegistered',
            at,
            data: {
              participantId,
              programId,
              role,
              displayName: `${role} ${r}`,
              email: `p${r}.${role}@example.com`,
              occurredAt: iso(at),
            },
          },
        ],
      });
    }
    stories.push(story);
  }
  return stories;
}

/** Appends window by window, so that positions follow time roughly as they would in production. */
async function fill(store: SqliteEventStore, stories: Story[]): Promise<number> {
  let pending = stories.map((story) => ({
    ...story,
    revision: 'no_stream' as bigint | 'no_stream',
    hash: null as string | null,
    next: 0,
  }));
  let appended = 0;
  let windowEnd = Math.min(...stories.map((story) => story.facts[0].at));
  while (pending.length > 0) {
    windowEnd += APPEND_WINDOW_DAYS * DAY;
    for (const head of pending) {
      let end = head.next;
      while (end < head.facts.length && head.facts[end].at < windowEnd) end++;
      if (end === head.next) continue;
      const events = eventsToAppend(head.facts.slice(head.next, end), head.hash, { actor: 'bench' });
      const result = await store.appendToStream(head.stream, events, { expectedRevision: head.revision });
      appended += events.length;
      head.revision = result.nextRevision;
      head.hash = String(events[events.length - 1].metadata?.hash);
      head.next = end;
    }
    pending = pending.filter((head) => head.next < head.facts.length);
  }
  return appended;
}

async function buildReadModels(dir: string, log: (line: string) => void): Promise<void> {
  const file = path.join(dir, READ_MODEL_FILE);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  const store = SqliteEventStore.open({ file: path.join(dir, EVENTS_FILE), synchronous: 'NORMAL' });
  try {
    const rebuilt = await rebuildReadModel({ store, file });
    log(`Built the read models in ${rebuilt.seconds.toFixed(1)} s`);
  } finally {
    await store.close();
  }
}

function readManifest(dir: string): Manifest | null {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    return manifest.recipe === RECIPE && manifest.relationships === RELATIONSHIPS ? manifest : null;
  } catch {
    return null;
  }
}

const dataSet = (dir: string, manifest: Manifest): BenchDataSet => ({
  dir,
  eventsFile: path.join(dir, EVENTS_FILE),
  readModelFile: path.join(dir, READ_MODEL_FILE),
  programId: manifest.programId,
  sampleRelationshipIds: manifest.sampleRelationshipIds,
  relationships: manifest.relationships,
  events: manifest.events,
  generatedAt: manifest.generatedAt,
});

/** The cached data set, generated first when it is missing or was made by another recipe. */
export async function millionEvents(log: (line: string) => void = console.log): Promise<BenchDataSet> {
  const dir = BENCH_DATA_DIR;
  const existing = readManifest(dir);
  if (existing === null) return writeDataSet(dir, RELATIONSHIPS, log);
  if (existing.readModels !== readModelsSignature()) {
    log(`The projections changed since ${dir} was made: building its read models again`);
    await buildReadModels(dir, log);
    existing.readModels = readModelsSignature();
    writeManifest(dir, existing);
  }
  log(`Reusing ${existing.events.toLocaleString('en-US')} events in ${dir} (generated ${iso(existing.generatedAt)})`);
  return dataSet(dir, existing);
}

const writeManifest = (dir: string, manifest: Manifest): void =>
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);

/** One program with `relationships` relationships of about a hundred events each, histories ending now, in `dir` (emptied first). */
export async function writeDataSet(
  dir: string,
  relationships: number,
  log: (line: string) => void = console.log,
): Promise<BenchDataSet> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const generatedAt = Date.now();
  const programId = uuidOf('bench-program');
  const started = Date.now();
  const stories = programStories(programId, relationships, generatedAt);
  const store = SqliteEventStore.open({ file: path.join(dir, EVENTS_FILE), synchronous: 'NORMAL' });
  let events: number;
  try {
    events = await fill(store, stories);
    log(`Wrote ${events.toLocaleString('en-US')} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await store.close();
  }
  await buildReadModels(dir, log);
  const relationshipStreams = stories.filter((story) => story.stream.startsWith('relationship-'));
  const manifest: Manifest = {
    recipe: RECIPE,
    readModels: readModelsSignature(),
    programId,
    sampleRelationshipIds: relationshipStreams.slice(0, 5).map((story) => String(story.facts[0].data.relationshipId)),
    relationships: relationshipStreams.length,
    events,
    generatedAt,
  };
  // Written last: a folder without it (an interrupted run) is regenerated.
  writeManifest(dir, manifest);
  return dataSet(dir, manifest);
}
