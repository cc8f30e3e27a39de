import { Module } from '@nestjs/common';
import { CommandExecutor, ParticipantErasure, StreamCommands } from '@trustline/command-handling';
import { EVENT_STORE, type EventStore, PersonalData } from '@trustline/event-store';
import { ReadModels } from '@trustline/projections';
import { MutationRunner } from './mutation-runner';
import { STREAM_COMMAND_HANDLERS } from './stream-command.handlers';

// The buses come from CqrsModule.forRoot() in AppModule (global): importing
// CqrsModule here again would create a second EventBus.
/** The write path: @trustline/command-handling on the CommandBus, and what mutations run around it. */
@Module({
  providers: [
    {
      provide: CommandExecutor,
      inject: [EVENT_STORE, ReadModels, PersonalData],
      // The idempotency index of the read models tells a key used on another stream; personal fields are sealed on append.
      useFactory: (store: EventStore, readModels: ReadModels, personalData: PersonalData) =>
        new CommandExecutor(store, {
          idempotencyIndex: readModels,
          seal: (streamId, events) => personalData.protect(streamId, events),
        }),
    },
    {
      provide: ParticipantErasure,
      inject: [EVENT_STORE, ReadModels, PersonalData],
      useFactory: (store: EventStore, readModels: ReadModels, personalData: PersonalData) =>
        new ParticipantErasure(store, readModels, personalData),
    },
    {
      provide: StreamCommands,
      inject: [CommandExecutor, ParticipantErasure],
      useFactory: (executor: CommandExecutor, erasure: ParticipantErasure) =>
        new StreamCommands(executor, {
          eraseKeys: (participantId, state, erasedAt) => erasure.destroyKeys(participantId, state, erasedAt),
        }),
    },
    MutationRunner,
    ...STREAM_COMMAND_HANDLERS,
  ],
  exports: [MutationRunner],
})
export class WriteModule {}
