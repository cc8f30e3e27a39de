import { assertNever, type Decider } from '../shared/decider';
import { conflict, notFound } from '../shared/domain-error';
import type { Instant } from '../shared/instant';
import type { ParticipantCommand } from './participant.commands';
import type { ParticipantEvent, ParticipantRole } from './participant.events';

export type ParticipantState =
  | { status: 'none' }
  | {
      status: 'registered';
      participantId: string;
      programId: string;
      role: ParticipantRole;
      displayName: string;
      email: string | null;
      registeredAt: Instant;
      /** Its personal data was crypto-shredded: the stored name and email can no longer be read. */
      erased: boolean;
    };

export const initialParticipantState = (): ParticipantState => ({ status: 'none' });

export const decideParticipant = (command: ParticipantCommand, state: ParticipantState): ParticipantEvent[] => {
  switch (command.type) {
    case 'RegisterParticipant': {
      const { participantId, programId, role, displayName, email, occurredAt, program } = command.data;
      if (state.status !== 'none') {
        throw conflict('participant.already-exists', `Participant ${participantId} already exists`);
      }
      if (program === null || program.programId !== programId) {
        throw notFound('program.not-found', `Program ${programId} does not exist`);
      }
      return [
        { type: 'ParticipantRegistered', data: { participantId, programId, role, displayName, email, occurredAt } },
      ];
    }
    case 'EraseParticipant': {
      const { participantId, reason, erasedSubjects, legacyPlaintextEvents, occurredAt } = command.data;
      if (state.status !== 'registered') {
        throw notFound('participant.not-found', `Participant ${participantId} does not exist`);
      }
      // Erasing again changes nothing: the keys are gone already, and one erasure event says so.
      if (state.erased) return [];
      return [
        {
          type: 'ParticipantErased',
          data: { participantId, reason, erasedSubjects, legacyPlaintextEvents, occurredAt },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

export const evolveParticipant = (state: ParticipantState, event: ParticipantEvent): ParticipantState => {
  switch (event.type) {
    case 'ParticipantRegistered':
      if (state.status !== 'none') return state;
      return {
        status: 'registered',
        participantId: event.data.participantId,
        programId: event.data.programId,
        role: event.data.role,
        displayName: event.data.displayName,
        email: event.data.email,
        registeredAt: event.data.occurredAt,
        erased: false,
      };
    case 'ParticipantErased':
      return state.status === 'registered' ? { ...state, erased: true } : state;
    default:
      return assertNever(event);
  }
};

export const participantDecider: Decider<ParticipantCommand, ParticipantEvent, ParticipantState> = {
  initialState: initialParticipantState,
  decide: decideParticipant,
  evolve: evolveParticipant,
};
