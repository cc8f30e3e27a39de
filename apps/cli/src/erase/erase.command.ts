import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, type ParticipantState } from '@trustline/domain';
import { EVENT_STORE, type EventStore, StreamNotFound, streamName } from '@trustline/event-store';
import { DataDirInUse, holdDataDirExclusive, ProjectionRunner } from '@trustline/projections';
import { AppModule } from '../../../api/src/app.module';
import { type CommandContext, CommandIdentity, type CommandOutcome, inputHash } from '@trustline/command-handling';
import { ExecuteParticipantCommand } from '../../../api/src/write/stream-commands';
import { loadConfig, UsageError } from '../cli.io';
import { type CliCommand, parseOptions } from '../cli.command';
import { EXIT } from '../verify/verify.command';

const OPTIONS = {
  participant: { type: 'string' },
  reason: { type: 'string' },
  actor: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/** How long to wait for the local read models to include the erasure. */
const PROJECTION_WAIT_MS = 30_000;

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
    // No server may have the directory: checked with the lock every server holds shared, released for the
    // application this command boots (which takes it shared itself).
    try {
      holdDataDirExclusive(config.DATA_DIR).release();
    } catch (error) {
      if (error instanceof DataDirInUse)
        throw new UsageError(`${error.message}; erase through the server's eraseParticipant mutation instead`);
      throw error;
    }
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ ...process.env, DATA_DIR: config.DATA_DIR, LOG_LEVEL: 'warn' }),
      {
        logger: ['error', 'warn'],
      },
    );
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
      const store = app.get<EventStore>(EVENT_STORE);
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
        outcome = await app
          .get(CommandBus)
          .execute(new ExecuteParticipantCommand({ type: 'EraseParticipant', data }, context));
      } catch (error) {
        if (error instanceof DomainError && error.kind === 'NOT_FOUND') {
          output.err(`No participant ${participantId} in ${config.DATA_DIR}.`);
          return EXIT.unknownRelationship;
        }
        throw error;
      }
      await app.get(ProjectionRunner).waitFor(outcome.position, PROJECTION_WAIT_MS);
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
      await app.close();
    }
  },
};
