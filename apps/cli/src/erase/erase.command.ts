import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  type CommandContext,
  CommandExecutor,
  CommandIdentity,
  type CommandOutcome,
  inputHash,
  ParticipantErasure,
  StreamCommands,
} from '@trustline/command-handling';
import { DomainError, type ParticipantState } from '@trustline/domain';
import { StreamNotFound, streamName } from '@trustline/event-store';
import {
  DataDirInUse,
  holdDataDirExclusive,
  ProjectionRunner,
  ReadModelDatabase,
  ReadModels,
  readReadModelPointer,
} from '@trustline/projections';
import { loadConfig, UsageError } from '../cli.io';
import { openConfiguredPersonalData, openConfiguredStore } from '../cli.store';
import { type CliCommand, parseOptions } from '../cli.command';
import { EXIT } from '../verify/verify.command';

const OPTIONS = {
  participant: { type: 'string' },
  reason: { type: 'string' },
  actor: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/**
 * eraseParticipant from the operator's keyboard, through the same command
 * path as the API (keys destroyed first, then one ParticipantErased event),
 * for a data directory no server has open. It says what it could not shred.
 */
export const eraseCommand: CliCommand = {
  async run(args, output) {
    const options = parseOptions(args, OPTIONS);
    const participantId = options.participant?.trim().toLowerCase();
    if (!participantId) throw new UsageError('--participant ID is required');
    const config = loadConfig(options['data-dir']);
    // No server may have the directory (the lock every server holds shared); this command holds it alone.
    let lock;
    try {
      lock = holdDataDirExclusive(config.DATA_DIR);
    } catch (error) {
      if (error instanceof DataDirInUse)
        throw new UsageError(`${error.message}; erase through the server's eraseParticipant mutation instead`);
      throw error;
    }
    const store = await openConfiguredStore(config);
    const keys = await openConfiguredPersonalData(config, store);
    const database = ReadModelDatabase.open({
      file: path.join(config.DATA_DIR, readReadModelPointer(config.DATA_DIR).file),
    });
    const runner = new ProjectionRunner({
      store,
      database,
      logger: { log: () => {}, error: (message) => output.err(message) },
    });
    try {
      const data = {
        participantId,
        reason: options.reason ?? null,
        erasedSubjects: [],
        legacyPlaintextEvents: 0,
        occurredAt: new Date().toISOString(),
      };
      const context: CommandContext = {
        identity: CommandIdentity.forKey(null),
        mutation: 'eraseParticipant',
        inputHash: inputHash('eraseParticipant', { participantId, reason: data.reason }),
        actor: options.actor ?? `cli:${os.userInfo().username}`,
        correlationId: randomUUID(),
        recordedAt: data.occurredAt,
      };
      // The same write path as the API's: sealing, the idempotency index, and the keys destroyed before the event.
      await runner.catchUp();
      const readModels = new ReadModels(database);
      const erasure = new ParticipantErasure(store, readModels, keys.personalData);
      const commands = new StreamCommands(
        new CommandExecutor(store, {
          idempotencyIndex: readModels,
          seal: (streamId, events) => keys.personalData.protect(streamId, events),
        }),
        { eraseKeys: (id, state, erasedAt) => erasure.destroyKeys(id, state, erasedAt) },
      );
      const stream = streamName('participant', participantId);
      const lastOf = async () => {
        try {
          return (await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))[0];
        } catch (error) {
          if (error instanceof StreamNotFound) return undefined;
          throw error;
        }
      };
      const before = await lastOf();
      let outcome: CommandOutcome<ParticipantState>;
      try {
        outcome = await commands.participant({ type: 'EraseParticipant', data }, context);
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'NOT_FOUND') {
          output.err(`No participant ${participantId} in ${config.DATA_DIR}.`);
          return EXIT.unknownRelationship;
        }
        throw error;
      }
      // The read models include the erasure before this returns, as a server's would.
      await runner.catchUp();
      const last = await lastOf();
      if (last === undefined) throw new Error(`The erasure of ${participantId} left no event`);
      const recorded = last.data as { erasedSubjects?: string[]; legacyPlaintextEvents?: number };
      output.out(
        outcome.replayed || last.type !== 'ParticipantErased' || last.id === before?.id
          ? `Participant ${participantId} was already erased; nothing more to do.`
          : `Erased participant ${participantId}: keys of ${recorded.erasedSubjects?.length ?? 0} subjects destroyed ` +
              `(${(recorded.erasedSubjects ?? []).join(', ')}); ParticipantErased at position ${outcome.position}.`,
      );
      const legacy = recorded.legacyPlaintextEvents ?? 0;
      if (legacy > 0) {
        output.err(
          `Warning: ${legacy} events of these streams were stored before personal data was sealed (schema version 1). ` +
            'They are hidden from every reader from now on, but their plaintext bytes stay in the event store (docs/erasure.md).',
        );
      }
      return 0;
    } finally {
      database.close();
      await keys.close();
      await store.close();
      lock.release();
    }
  },
};
