import { domainFact } from '../runner/projected-event';
import { defineRowProjection } from '../runner/row.projection';

export type ProgramCommunicationRow = {
  program_id: string;
  revision: number;
  event_id: string;
  data: string;
  occurred_at: string;
  recorded_at: string;
};

/** One row per ProgramCommunicationRecorded, for the program's trend. */
export const programCommunicationsProjection = defineRowProjection<ProgramCommunicationRow>({
  name: 'program_communications',
  version: 1,
  columns: {
    program_id: 'TEXT',
    revision: 'INTEGER',
    event_id: 'TEXT',
    data: 'TEXT',
    occurred_at: 'TEXT',
    recorded_at: 'TEXT',
  },
  indexes: [['program_id', 'position']],
  rowOf: (event) => {
    const fact = domainFact(event, 'program');
    if (fact === null || fact.event.type !== 'ProgramCommunicationRecorded' || event.stream === null) return null;
    return {
      program_id: event.stream.id,
      revision: fact.revision,
      event_id: fact.eventId,
      data: JSON.stringify(fact.event.data),
      occurred_at: fact.event.data.occurredAt,
      recorded_at: fact.recordedAt,
    };
  },
});
