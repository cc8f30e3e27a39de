import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { StreamCommands } from '@trustline/command-handling';
import { ExecuteParticipantCommand, ExecuteProgramCommand, ExecuteRelationshipCommand } from './stream-commands';

// The CommandBus's handlers: each hands its command to the write path of @trustline/command-handling.

@CommandHandler(ExecuteProgramCommand)
export class ProgramCommandHandler implements ICommandHandler<ExecuteProgramCommand> {
  constructor(private readonly commands: StreamCommands) {}

  execute({ command, context }: ExecuteProgramCommand) {
    return this.commands.program(command, context);
  }
}

@CommandHandler(ExecuteParticipantCommand)
export class ParticipantCommandHandler implements ICommandHandler<ExecuteParticipantCommand> {
  constructor(private readonly commands: StreamCommands) {}

  execute({ command, context }: ExecuteParticipantCommand) {
    return this.commands.participant(command, context);
  }
}

@CommandHandler(ExecuteRelationshipCommand)
export class RelationshipCommandHandler implements ICommandHandler<ExecuteRelationshipCommand> {
  constructor(private readonly commands: StreamCommands) {}

  execute({ command, context }: ExecuteRelationshipCommand) {
    return this.commands.relationship(command, context);
  }
}

export const STREAM_COMMAND_HANDLERS = [ProgramCommandHandler, ParticipantCommandHandler, RelationshipCommandHandler];
