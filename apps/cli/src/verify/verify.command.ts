import {
  chainBreak,
  type EventStore,
  parseStreamName,
  type RecordedEvent,
  StreamNotFound,
  streamName,
  verifyChain,
} from '@trustline/event-store';
import { type CliOutput, formatCount, loadConfig, UsageError } from '../cli.io';
import { describeStore, openConfiguredStore } from '../cli.store';
import { type CliCommand, parseOptions } from '../cli.command';

const OPTIONS = {
  relationship: { type: 'string' },
  all: { type: 'boolean' },
  'data-dir': { type: 'string' },
} as const;

/** The exit codes of `verify`, and of every command asked about a relationship the store does not hold. */
export const EXIT = { intact: 0, broken: 1, usage: 2, unknownRelationship: 3 } as const;

export const VERIFY_TUNING = {
  /** Events read from the store per page while verifying everything. */
  pageSize: 4_096,
  /** A progress line on stderr after every this many events. */
  progressEvery: 100_000,
} as const;

export interface StoreVerification {
  ok: boolean;
  streams: number;
  events: number;
  /** Only the streams whose chain is broken, each with its first broken event. */
  broken: { streamId: string; eventsChecked: number; firstBrokenEventId: string; reason: string }[];
}

/**
 * Every Trustline stream's hash chain, in one pass over the store in global
 * order: each stream's chain is continued event by event, so memory grows
 * with the number of streams, not of events. Streams that are not
 * Trustline's (the key streams of an EventStoreDB key store) carry no chain.
 */
export async function verifyStore(store: EventStore, output: CliOutput): Promise<StoreVerification> {
  const streams = new Map<string, { previous: string | null; checked: number; broken: boolean }>();
  const broken: StoreVerification['broken'] = [];
  let events = 0;
  let nextProgress: number = VERIFY_TUNING.progressEvery;
  for (let after: bigint | undefined; ;) {
    const page = await store.readAll({ fromPosition: after, maxCount: VERIFY_TUNING.pageSize });
    for (const event of page) {
      if (parseStreamName(event.streamId) === null) continue;
      events++;
      let chain = streams.get(event.streamId);
      if (!chain) streams.set(event.streamId, (chain = { previous: null, checked: 0, broken: false }));
      if (chain.broken) continue;
      chain.checked++;
      const reason = chainBreak(event, chain.previous);
      if (reason !== null) {
        chain.broken = true;
        broken.push({ streamId: event.streamId, eventsChecked: chain.checked, firstBrokenEventId: event.id, reason });
        continue;
      }
      chain.previous = event.metadata.hash as string;
    }
    if (events >= nextProgress) {
      output.err(`… ${formatCount(events)} events in ${formatCount(streams.size)} streams verified`);
      while (nextProgress <= events) nextProgress += VERIFY_TUNING.progressEvery;
    }
    if (page.length < VERIFY_TUNING.pageSize) break;
    after = page[page.length - 1].position;
  }
  return { ok: broken.length === 0, streams: streams.size, events, broken };
}

/**
 * `--relationship ID`: what verifyRelationshipHistory answers, from the stream itself.
 * `--all`: every stream's chain. Exit 0 intact, 1 broken, 3 no such relationship.
 */
export const verifyCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const relationshipId = options.relationship?.trim();
    if (!relationshipId === !options.all) throw new UsageError('give either --relationship ID or --all');
    const config = loadConfig(options['data-dir']);
    const store = await openConfiguredStore(config);
    try {
      if (options.all) {
        const report = await verifyStore(store, output);
        output.out(JSON.stringify(report, null, 2));
        output.err(
          report.ok
            ? `Every history in ${describeStore(config)} is intact: ${formatCount(report.streams)} streams, ${formatCount(report.events)} events.`
            : `${report.broken.length} of ${formatCount(report.streams)} streams are BROKEN (${formatCount(report.events)} events read): ` +
                report.broken.map((stream) => `${stream.streamId} at event ${stream.firstBrokenEventId}`).join('; '),
        );
        return report.ok ? EXIT.intact : EXIT.broken;
      }
      const stream = streamName('relationship', relationshipId!);
      let events: RecordedEvent[];
      try {
        events = await store.readStream(stream);
      } catch (error) {
        if (!(error instanceof StreamNotFound)) throw error;
        output.err(`No relationship ${relationshipId} in ${describeStore(config)}.`);
        return EXIT.unknownRelationship;
      }
      const report = verifyChain(events);
      output.out(JSON.stringify(report, null, 2));
      output.err(
        report.ok
          ? `The history of ${stream} is intact: ${report.eventsChecked} events, every hash recomputed and chained.`
          : `The history of ${stream} is BROKEN at event ${report.firstBrokenEventId}: ${report.reason}.`,
      );
      return report.ok ? EXIT.intact : EXIT.broken;
    } finally {
      await store.close();
    }
  },
};
