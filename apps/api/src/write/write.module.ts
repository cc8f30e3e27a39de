import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandExecutor } from './command-executor';
import { MutationRunner } from './mutation-runner';
import { STREAM_COMMAND_HANDLERS } from './stream-command.handlers';

/** The write path: the command handlers on the CommandBus and what mutations run around them. */
@Module({
  imports: [CqrsModule],
  providers: [CommandExecutor, MutationRunner, ...STREAM_COMMAND_HANDLERS],
  exports: [MutationRunner],
})
export class WriteModule {}
