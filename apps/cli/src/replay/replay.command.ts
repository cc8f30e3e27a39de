import { toMillis, trustScore } from '@trustline/domain';
import { type PersonalData, StreamNotFound, streamName } from '@trustline/event-store';
import {
  type RelationshipMeeting,
  type RelationshipPromise,
  relationshipFactsOf,
  relationshipSnapshot,
} from '@trustline/projections';
import { loadConfig, UsageError } from '../cli.io';
import { describeStore, instantOption, openConfiguredPersonalData, openConfiguredStore } from '../cli.store';
import { type CliCommand, parseOptions } from '../cli.command';
import { EXIT } from '../verify/verify.command';

const OPTIONS = {
  relationship: { type: 'string' },
  at: { type: 'string' },
  'known-at': { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

const DIRECTIONS = ['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'] as const;

// The fields of MentoringPromise and Meeting in the contract, in its order.
const promiseOf = async (promise: RelationshipPromise, atMs: number, personalData: PersonalData) => ({
  id: promise.id,
  promisor: promise.promisor,
  description: await personalData.reveal(promise.description),
  dueAt: promise.dueAt,
  status: promise.status,
  keptAt: promise.keptAt,
  overdue: promise.status === 'OPEN' && atMs > toMillis(promise.dueAt),
});

const meetingOf = (meeting: RelationshipMeeting) => ({
  id: meeting.id,
  startsAt: meeting.startsAt,
  durationMinutes: meeting.durationMinutes,
  mode: meeting.mode,
  status: meeting.status,
  scheduledBy: meeting.scheduledBy,
  cancelledBy: meeting.cancelledBy ?? null,
  noticeHours: meeting.status === 'CANCELLED' ? meeting.noticeHours : null,
});

/** The same snapshot as relationshipAsOf, from the stream itself, as JSON on stdout; exit 3 for no such relationship. */
export const replayCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const relationshipId = options.relationship?.trim();
    if (!relationshipId) throw new UsageError('--relationship ID is required');
    const at = instantOption('at', options.at);
    if (at === undefined) throw new UsageError('--at T is required');
    const knownAt = instantOption('known-at', options['known-at']) ?? null;
    const config = loadConfig(options['data-dir']);
    const store = await openConfiguredStore(config);
    const keys = await openConfiguredPersonalData(config);
    try {
      let events;
      try {
        events = await store.readStream(streamName('relationship', relationshipId));
      } catch (error) {
        if (!(error instanceof StreamNotFound)) throw error;
        output.err(`No relationship ${relationshipId} in ${describeStore(config)}.`);
        return EXIT.unknownRelationship;
      }
      const snapshot = relationshipSnapshot(relationshipFactsOf(events), at, knownAt);
      if (snapshot === null) {
        // As relationshipAsOf: null, the relationship exists but had not started then (or was not known to have).
        output.out('null');
        output.err(
          `Relationship ${relationshipId} had not started as of ${at}${knownAt ? ` as known at ${knownAt}` : ''}.`,
        );
        return 0;
      }
      const atMs = toMillis(at);
      const trust = Object.fromEntries(
        DIRECTIONS.map((direction) => [direction, { ...trustScore(snapshot.evidence, direction, at) }]),
      );
      output.out(
        JSON.stringify(
          {
            relationshipId: snapshot.relationshipId,
            at,
            knownAt,
            eventsApplied: snapshot.eventsApplied,
            status: snapshot.status,
            trust,
            promises: await Promise.all(
              snapshot.state.promises.map((promise) => promiseOf(promise, atMs, keys.personalData)),
            ),
            meetings: snapshot.state.meetings.map(meetingOf),
          },
          null,
          2,
        ),
      );
      return 0;
    } finally {
      await keys.close();
      await store.close();
    }
  },
};
