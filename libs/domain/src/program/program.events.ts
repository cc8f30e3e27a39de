import type { Instant } from '../shared/instant';

// Stored type names are part of the data format: never rename one.
export type ProgramLaunched = {
  type: 'ProgramLaunched';
  data: {
    programId: string;
    name: string;
    cadenceDays: number;
    sessionMinutes: number;
    occurredAt: Instant;
  };
};

export type ProgramCommunicationRecorded = {
  type: 'ProgramCommunicationRecorded';
  data: {
    programId: string;
    communicationId: string;
    channel: string;
    summary: string;
    occurredAt: Instant;
  };
};

export type ProgramEvent = ProgramLaunched | ProgramCommunicationRecorded;
