import { type RecordedEvent, StreamNotFound, streamName, verifyChain } from '@trustline/event-store';
import { loadConfig, UsageError } from '../cli.io';
import { describeStore, openConfiguredStore } from '../cli.store';
import { type CliCommand, parseOptions } from '../cli.command';

const OPTIONS = {
  relationship: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/** What verifyRelationshipHistory answers, computed from the stream itself; exit 1 when the chain is broken. */
export const verifyCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const relationshipId = options.relationship?.trim();
    if (!relationshipId) throw new UsageError('--relationship ID is required');
    const config = loadConfig(options['data-dir']);
    const store = await openConfiguredStore(config);
    try {
      const stream = streamName('relationship', relationshipId);
      let events: RecordedEvent[];
      try {
        events = await store.readStream(stream);
      } catch (error) {
        if (!(error instanceof StreamNotFound)) throw error;
        output.err(`No relationship ${relationshipId} in ${describeStore(config)}.`);
        return 1;
      }
      const report = verifyChain(events);
      output.out(JSON.stringify(report, null, 2));
      output.err(
        report.ok
          ? `The history of ${stream} is intact: ${report.eventsChecked} events, every hash recomputed and chained.`
          : `The history of ${stream} is BROKEN at event ${report.firstBrokenEventId}: ${report.reason}.`,
      );
      return report.ok ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};
