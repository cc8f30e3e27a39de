import { assertNever, type Decider } from '../shared/decider';
import { conflict, notFound } from '../shared/domain-error';
import { toMillis, type Instant } from '../shared/instant';
import type { ProgramCommand } from './program.commands';
import type { ProgramEvent } from './program.events';

export type ProgramState =
  | { status: 'none' }
  | {
      status: 'launched';
      programId: string;
      name: string;
      cadenceDays: number;
      sessionMinutes: number;
      launchedAt: Instant;
      communications: number;
    };

export const initialProgramState = (): ProgramState => ({ status: 'none' });

export const decideProgram = (command: ProgramCommand, state: ProgramState): ProgramEvent[] => {
  switch (command.type) {
    case 'LaunchProgram': {
      if (state.status !== 'none') {
        throw conflict('program.already-exists', `Program ${command.data.programId} already exists`);
      }
      const { programId, name, cadenceDays, sessionMinutes, occurredAt } = command.data;
      return [{ type: 'ProgramLaunched', data: { programId, name, cadenceDays, sessionMinutes, occurredAt } }];
    }
    case 'RecordProgramCommunication': {
      if (state.status === 'none') {
        throw notFound('program.not-found', `Program ${command.data.programId} does not exist`);
      }
      // Trends count communications from the launch on; an earlier one would
      // fall outside every bucket the program reports.
      if (toMillis(command.data.occurredAt) < toMillis(state.launchedAt)) {
        throw conflict('program.before-launch', 'A communication cannot occur before the program was launched');
      }
      const { programId, communicationId, channel, summary, occurredAt } = command.data;
      return [
        { type: 'ProgramCommunicationRecorded', data: { programId, communicationId, channel, summary, occurredAt } },
      ];
    }
    default:
      return assertNever(command);
  }
};

export const evolveProgram = (state: ProgramState, event: ProgramEvent): ProgramState => {
  switch (event.type) {
    case 'ProgramLaunched':
      if (state.status !== 'none') return state;
      return {
        status: 'launched',
        programId: event.data.programId,
        name: event.data.name,
        cadenceDays: event.data.cadenceDays,
        sessionMinutes: event.data.sessionMinutes,
        launchedAt: event.data.occurredAt,
        communications: 0,
      };
    case 'ProgramCommunicationRecorded':
      if (state.status === 'none') return state;
      return { ...state, communications: state.communications + 1 };
    default:
      return assertNever(event);
  }
};

export const programDecider: Decider<ProgramCommand, ProgramEvent, ProgramState> = {
  initialState: initialProgramState,
  decide: decideProgram,
  evolve: evolveProgram,
};
