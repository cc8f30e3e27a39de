import { Command } from '@nestjs/cqrs';
import type {
  ParticipantCommand,
  ParticipantState,
  ProgramCommand,
  ProgramState,
  RelationshipCommand,
  RelationshipState,
} from '@trustline/domain';
import type { CommandContext, CommandOutcome } from '@trustline/command-handling';

// One bus message per stream type: the domain command and who caused it.

export class ExecuteProgramCommand extends Command<CommandOutcome<ProgramState>> {
  constructor(
    readonly command: ProgramCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class ExecuteParticipantCommand extends Command<CommandOutcome<ParticipantState>> {
  constructor(
    readonly command: ParticipantCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class ExecuteRelationshipCommand extends Command<CommandOutcome<RelationshipState>> {
  constructor(
    readonly command: RelationshipCommand,
    readonly context: CommandContext,
  ) {
    super();
  }
}
