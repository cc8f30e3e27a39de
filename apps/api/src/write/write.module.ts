import { Module } from '@nestjs/common';
import { CommandExecutor } from './command-executor';
import { MutationRunner } from './mutation-runner';
import { ParticipantErasure } from './participant-erasure';
import { STREAM_COMMAND_HANDLERS } from './stream-command.handlers';

// The buses come from CqrsModule.forRoot() in AppModule (global): importing
// CqrsModule here again would create a second EventBus.
/** The write path: the command handlers on the CommandBus and what mutations run around them. */
@Module({
  providers: [CommandExecutor, MutationRunner, ParticipantErasure, ...STREAM_COMMAND_HANDLERS],
  exports: [MutationRunner],
})
export class WriteModule {}
