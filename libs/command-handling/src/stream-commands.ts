import {
  participantDecider,
  type ParticipantCommand,
  type ParticipantFact,
  type ParticipantState,
  programDecider,
  type ProgramCommand,
  type ProgramState,
  type RelationshipCommand,
  relationshipDecider,
  type RelationshipState,
} from '@trustline/domain';
import { streamName } from '@trustline/event-store';
import type { CommandContext, CommandExecutor, CommandOutcome } from './command-executor';

/**
 * One entry per stream type: the command, enriched with what its decider must
 * know of other streams (the deciders read no stream themselves), executed on
 * its own stream. The API's command handlers and the CLI both call these.
 */
/** What an erasure does outside the participant's stream, before its event is appended: destroy the keys. */
export type ErasureOfKeys = (
  participantId: string,
  state: ParticipantState,
  erasedAt: string,
) => Promise<{ erasedSubjects: string[]; legacyPlaintextEvents: number }>;

export class StreamCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly options: { eraseKeys?: ErasureOfKeys } = {},
  ) {}

  program(command: ProgramCommand, context: CommandContext): Promise<CommandOutcome<ProgramState>> {
    return this.executor.execute(
      'program',
      streamName('program', command.data.programId),
      programDecider,
      command,
      context,
    );
  }

  async participant(command: ParticipantCommand, context: CommandContext): Promise<CommandOutcome<ParticipantState>> {
    if (command.type === 'EraseParticipant') {
      const stream = streamName('participant', command.data.participantId);
      const state = await this.executor.load('participant', stream, participantDecider);
      if (!this.options.eraseKeys) throw new Error('This write path cannot erase: it was given no key store');
      // The keys go first: were the append to fail, the data is unreadable already and a retry records the event.
      const found = await this.options.eraseKeys(command.data.participantId, state, context.recordedAt);
      return this.executor.execute(
        'participant',
        stream,
        participantDecider,
        { ...command, data: { ...command.data, ...found } },
        context,
      );
    }
    // The decider needs to know the program exists.
    const program = await this.executor.load('program', streamName('program', command.data.programId), programDecider);
    const enriched = {
      ...command,
      data: { ...command.data, program: program.status === 'launched' ? { programId: program.programId } : null },
    };
    return this.executor.execute(
      'participant',
      streamName('participant', command.data.participantId),
      participantDecider,
      enriched,
      context,
    );
  }

  async relationship(
    command: RelationshipCommand,
    context: CommandContext,
  ): Promise<CommandOutcome<RelationshipState>> {
    const enriched = command.type === 'StartRelationship' ? await this.withParties(command) : command;
    return this.executor.execute(
      'relationship',
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
      this.executor.load('program', streamName('program', programId), programDecider),
      this.executor.load('participant', streamName('participant', mentorId), participantDecider),
      this.executor.load('participant', streamName('participant', menteeId), participantDecider),
    ]);
    const fact = (state: ParticipantState): ParticipantFact | null =>
      state.status === 'registered'
        ? { participantId: state.participantId, programId: state.programId, role: state.role }
        : null;
    return {
      ...command,
      data: {
        ...command.data,
        program:
          program.status === 'launched' ? { programId: program.programId, cadenceDays: program.cadenceDays } : null,
        mentor: fact(mentor),
        mentee: fact(mentee),
      },
    };
  }
}
