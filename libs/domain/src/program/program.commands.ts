import type { Instant } from '../shared/instant';

// Commands carry everything a decision needs: the caller has already defaulted
// `occurredAt` and generated the ids of the entities the command creates.

export type LaunchProgram = {
  type: 'LaunchProgram';
  data: {
    programId: string;
    name: string;
    cadenceDays: number;
    sessionMinutes: number;
    occurredAt: Instant;
  };
};

export type RecordProgramCommunication = {
  type: 'RecordProgramCommunication';
  data: {
    programId: string;
    communicationId: string;
    channel: string;
    summary: string;
    occurredAt: Instant;
  };
};

export type ProgramCommand = LaunchProgram | RecordProgramCommunication;
