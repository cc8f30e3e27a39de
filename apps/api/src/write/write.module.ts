import { Module } from '@nestjs/common';
import { CommandExecutor, StreamCommands } from '@trustline/command-handling';
import { EVENT_STORE, type EventStore } from '@trustline/event-store';
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
      inject: [EVENT_STORE, ReadModels],
      // The idempotency index of the read models tells a key used on another stream.
      useFactory: (store: EventStore, readModels: ReadModels) => new CommandExecutor(store, { idempotencyIndex: readModels }),
    },
    { provide: StreamCommands, inject: [CommandExecutor], useFactory: (executor: CommandExecutor) => new StreamCommands(executor) },
    MutationRunner,
    ...STREAM_COMMAND_HANDLERS,
  ],
  exports: [MutationRunner],
})
export class WriteModule {}
