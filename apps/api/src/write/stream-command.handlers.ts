import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  participantDecider,
  type ParticipantFact,
  programDecider,
  type RelationshipCommand,
  relationshipDecider,
} from '@trustline/domain';
import { streamName } from '@trustline/event-store';
import { CommandExecutor } from './command-executor';
import { ParticipantErasure } from './participant-erasure';
import { ExecuteParticipantCommand, ExecuteProgramCommand, ExecuteRelationshipCommand } from './stream-commands';

@CommandHandler(ExecuteProgramCommand)
export class ProgramCommandHandler implements ICommandHandler<ExecuteProgramCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ command, context }: ExecuteProgramCommand) {
    return this.executor.execute(streamName('program', command.data.programId), programDecider, command, context);
  }
}

@CommandHandler(ExecuteParticipantCommand)
export class ParticipantCommandHandler implements ICommandHandler<ExecuteParticipantCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly erasure: ParticipantErasure,
  ) {}

  async execute({ command, context }: ExecuteParticipantCommand) {
    if (command.type === 'EraseParticipant') {
      const stream = streamName('participant', command.data.participantId);
      // The keys go first: were the append to fail, the data is unreadable already and a retry records the event.
      const found = await this.erasure.destroyKeys(command.data.participantId, await this.executor.load(stream, participantDecider), context.recordedAt);
      return this.executor.execute(stream, participantDecider, { ...command, data: { ...command.data, ...found } }, context);
    }
    // The decider needs to know the program exists; it reads no stream itself.
    const program = await this.executor.load(streamName('program', command.data.programId), programDecider);
    const enriched = {
      ...command,
      data: { ...command.data, program: program.status === 'launched' ? { programId: program.programId } : null },
    };
    return this.executor.execute(streamName('participant', command.data.participantId), participantDecider, enriched, context);
  }
}

@CommandHandler(ExecuteRelationshipCommand)
export class RelationshipCommandHandler implements ICommandHandler<ExecuteRelationshipCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute({ command, context }: ExecuteRelationshipCommand) {
    const enriched = command.type === 'StartRelationship' ? await this.withParties(command) : command;
    return this.executor.execute(
      streamName('relationship', command.data.relationshipId),
      relationshipDecider,
      enriched,
      context,
    );
  }

  // Starting a relationship is judged against the program and both participants, as their streams tell them.
  private async withParties(command: Extract<RelationshipCommand, { type: 'StartRelationship' }>) {
    const { programId, mentorId, menteeId } = command.data;
    const [program, mentor, mentee] = await Promise.all([
      this.executor.load(streamName('program', programId), programDecider),
      this.executor.load(streamName('participant', mentorId), participantDecider),
      this.executor.load(streamName('participant', menteeId), participantDecider),
    ]);
    const fact = (state: typeof mentor): ParticipantFact | null =>
      state.status === 'registered'
        ? { participantId: state.participantId, programId: state.programId, role: state.role }
        : null;
    return {
      ...command,
      data: {
        ...command.data,
        program: program.status === 'launched' ? { programId: program.programId, cadenceDays: program.cadenceDays } : null,
        mentor: fact(mentor),
        mentee: fact(mentee),
      },
    };
  }
}

export const STREAM_COMMAND_HANDLERS = [ProgramCommandHandler, ParticipantCommandHandler, RelationshipCommandHandler];
