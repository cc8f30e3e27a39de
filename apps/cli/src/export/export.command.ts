import * as fs from 'node:fs';
import {
  deriveEvidence,
  programActivity,
  type ProgramEvent,
  programTrend,
  type TrendBucket,
  type TrustDirection,
  trustTrajectory,
} from '@trustline/domain';
import {
  type EventStore,
  parseStreamName,
  type PersonalData,
  type RecordedEvent,
  StreamNotFound,
  streamName,
  upcastStored,
} from '@trustline/event-store';
import {
  EVENT_COLUMNS,
  eventRow,
  type ExportFormat,
  type ExportRow,
  formatRows,
  relationshipFactsOf,
  TRAJECTORY_COLUMNS,
  trajectoryRow,
  TREND_COLUMNS,
  trendRow,
} from '@trustline/projections';
import { type CliOutput, formatCount, loadConfig, UsageError } from '../cli.io';
import { describeStore, instantOption, openConfiguredPersonalData, openConfiguredStore } from '../cli.store';
import { type CliCommand, parseOptions } from '../cli.command';
import { EXIT } from '../verify/verify.command';

const OPTIONS = {
  program: { type: 'string' },
  relationship: { type: 'string' },
  participant: { type: 'string' },
  what: { type: 'string' },
  format: { type: 'string' },
  bucket: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

const WHAT = ['events', 'trajectories', 'trend'] as const;
const FORMATS: readonly ExportFormat[] = ['ndjson', 'csv'];
const BUCKETS: readonly TrendBucket[] = ['WEEK', 'MONTH'];
const DIRECTIONS: readonly TrustDirection[] = ['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'];
/** Events read from the store per page while collecting a program's streams. */
const PAGE_SIZE = 4_096;

function oneOf<T extends string>(name: string, text: string | undefined, values: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  const value = text.trim().toLowerCase();
  const found = values.find((candidate) => candidate.toLowerCase() === value);
  if (!found) throw new UsageError(`--${name} must be one of ${values.join(', ')}, not "${text}"`);
  return found;
}

/** The streams of one program (its own, its participants', its relationships'), each in revision order. */
async function programStreams(store: EventStore, programId: string): Promise<Map<string, RecordedEvent[]>> {
  const id = programId.toLowerCase();
  const streams = new Map<string, RecordedEvent[]>();
  for (let after: bigint | undefined; ;) {
    const page = await store.readAll({ fromPosition: after, maxCount: PAGE_SIZE });
    for (const event of page) {
      const stream = parseStreamName(event.streamId);
      if (stream === null) continue;
      let events = streams.get(event.streamId);
      if (events === undefined) {
        // Each stream's first event says which program it belongs to.
        const first = event.data as { programId?: string };
        const ofProgram =
          stream.type === 'program' ? stream.id === id : String(first?.programId ?? '').toLowerCase() === id;
        if (!ofProgram || event.revision !== 0n) continue;
        streams.set(event.streamId, (events = []));
      }
      events.push(event);
    }
    if (page.length < PAGE_SIZE) break;
    after = page[page.length - 1].position;
  }
  return streams;
}

async function readOrNull(store: EventStore, stream: string): Promise<RecordedEvent[] | null> {
  try {
    return await store.readStream(stream);
  } catch (error) {
    if (error instanceof StreamNotFound) return null;
    throw error;
  }
}

/** The stored data with personal fields opened as the exporter may see them: erased values null. */
const revealedData = (personalData: PersonalData, event: RecordedEvent) =>
  personalData.revealData(event.type, upcastStored(event).data);

async function eventRows(streams: Map<string, RecordedEvent[]>, personalData: PersonalData): Promise<ExportRow[]> {
  const events = [...streams.values()]
    .flat()
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  return Promise.all(events.map(async (event) => eventRow(event, await revealedData(personalData, event))));
}

function relationshipStreamsOf(streams: Map<string, RecordedEvent[]>): [string, RecordedEvent[]][] {
  return [...streams].filter(([name]) => parseStreamName(name)?.type === 'relationship');
}

function trajectoryRows(streams: Map<string, RecordedEvent[]>, now: number): ExportRow[] {
  return relationshipStreamsOf(streams).flatMap(([name, events]) => {
    const relationshipId = parseStreamName(name)!.id;
    const evidence = deriveEvidence(relationshipFactsOf(events), now);
    return DIRECTIONS.flatMap((direction) =>
      trustTrajectory(evidence, direction, {}).map((point) => trajectoryRow(relationshipId, direction, point)),
    );
  });
}

function trendRows(
  programId: string,
  streams: Map<string, RecordedEvent[]>,
  query: { bucket: TrendBucket; from?: string; to?: string; now: number },
): ExportRow[] {
  const own = streams.get(streamName('program', programId)) ?? [];
  const activity = programActivity(
    own.map((event) => ({ type: event.type, data: upcastStored(event).data }) as ProgramEvent),
  );
  const evidence = relationshipStreamsOf(streams).map(([, events]) =>
    deriveEvidence(relationshipFactsOf(events), query.now),
  );
  return programTrend(activity, evidence, query).map(trendRow);
}

/** What an access request (GDPR Art. 15) needs: everything stored about the participant, decrypted. */
async function participantExport(store: EventStore, personalData: PersonalData, participantId: string) {
  const own = await readOrNull(store, streamName('participant', participantId));
  if (own === null) return null;
  const registered = (await revealedData(personalData, own[0])) as Record<string, unknown>;
  const streams = await programStreams(store, String(registered.programId));
  const id = participantId.toLowerCase();
  const relationships = relationshipStreamsOf(streams).filter(([, events]) => {
    const started = events[0].data as { mentorId?: string; menteeId?: string };
    return started.mentorId?.toLowerCase() === id || started.menteeId?.toLowerCase() === id;
  });
  const rows = async (events: RecordedEvent[]) =>
    Promise.all(
      events.map(async (event) => ({ ...eventRow(event, null), data: await revealedData(personalData, event) })),
    );
  const erased = own.some((event) => event.type === 'ParticipantErased');
  return {
    participant: {
      id,
      programId: registered.programId,
      role: registered.role,
      displayName: erased ? null : registered.displayName,
      email: erased ? null : registered.email,
      erased,
    },
    events: await rows(own),
    relationships: await Promise.all(
      relationships.map(async ([name, events]) => {
        const started = events[0].data as { mentorId: string };
        return {
          relationshipId: parseStreamName(name)!.id,
          party: started.mentorId.toLowerCase() === id ? 'MENTOR' : 'MENTEE',
          events: await rows(events),
        };
      }),
    ),
  };
}

function write(text: string, out: string | undefined, output: CliOutput): void {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  fs.writeFileSync(out, text);
  output.err(`Wrote ${out}`);
}

/**
 * `export`: a program's or a relationship's events (with metadata and
 * hashes), trajectories (one row per point, with its cause) or trend (one
 * row per bucket, as trustTrend) as ndjson or csv; or, with --participant,
 * everything stored about one participant as JSON. Exit 3 for an unknown id.
 */
export const exportCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const scopes = (['program', 'relationship', 'participant'] as const).filter(
      (scope) => options[scope] !== undefined,
    );
    if (scopes.length !== 1)
      throw new UsageError('give exactly one of --program ID, --relationship ID, --participant ID');
    const scope = scopes[0];
    const id = options[scope]!.trim();
    const what = oneOf('what', options.what, WHAT, 'events');
    const format = oneOf('format', options.format, FORMATS, 'ndjson');
    const bucket = oneOf('bucket', options.bucket, BUCKETS, 'WEEK');
    const from = instantOption('from', options.from);
    const to = instantOption('to', options.to);
    if (what === 'trend' && scope !== 'program') throw new UsageError('--what trend needs --program ID');
    const now = Date.now();
    const config = loadConfig(options['data-dir']);
    const store = await openConfiguredStore(config);
    const keys = await openConfiguredPersonalData(config);
    try {
      if (scope === 'participant') {
        const found = await participantExport(store, keys.personalData, id);
        if (found === null) {
          output.err(`No participant ${id} in ${describeStore(config)}.`);
          return EXIT.unknownRelationship;
        }
        write(`${JSON.stringify(found, null, 2)}\n`, options.out, output);
        return 0;
      }
      let streams: Map<string, RecordedEvent[]>;
      if (scope === 'relationship') {
        const events = await readOrNull(store, streamName('relationship', id));
        streams = new Map(events ? [[streamName('relationship', id), events]] : []);
      } else {
        streams = await programStreams(store, id);
      }
      if (streams.size === 0) {
        output.err(`No ${scope} ${id} in ${describeStore(config)}.`);
        return EXIT.unknownRelationship;
      }
      const [rows, columns] =
        what === 'events'
          ? [await eventRows(streams, keys.personalData), EVENT_COLUMNS]
          : what === 'trajectories'
            ? [trajectoryRows(streams, now), TRAJECTORY_COLUMNS]
            : [trendRows(id, streams, { bucket, from, to, now }), TREND_COLUMNS];
      write(formatRows(rows, columns, format), options.out, output);
      output.err(`${formatCount(rows.length)} ${what} rows (${format}) from ${formatCount(streams.size)} streams.`);
      return 0;
    } finally {
      await keys.close();
      await store.close();
    }
  },
};
