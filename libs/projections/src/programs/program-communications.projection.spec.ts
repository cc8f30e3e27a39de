import { at, fixtureIds, programCommunicationRecorded, programLaunched } from '@trustline/testing';
import { projected } from '@trustline/testing/projected.fixtures';
import { programCommunicationsProjection } from './program-communications.projection';

const stream = `program-${fixtureIds.program}`;
const rowOf = programCommunicationsProjection.spec.rowOf;

describe('the program communications read model', () => {
  it('keeps one row per communication, with its data and instants', () => {
    const communication = programCommunicationRecorded({ occurredAt: at(3) });
    const row = rowOf(
      projected(stream, communication, { position: 9n, revision: 2n, metadata: { recordedAt: at(4) } }),
    );
    expect(row).toEqual({
      program_id: fixtureIds.program,
      revision: 2,
      event_id: expect.any(String),
      data: JSON.stringify(communication.data),
      occurred_at: at(3),
      recorded_at: at(4),
    });
  });

  it('keeps no row for the launch', () => {
    expect(rowOf(projected(stream, programLaunched()))).toBeNull();
  });

  it('keeps no row for a communication found outside a program stream', () => {
    expect(rowOf(projected(`relationship-${fixtureIds.relationship}`, programCommunicationRecorded()))).toBeNull();
  });
});
