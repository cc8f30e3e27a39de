import {
  at,
  fixtureIds,
  programCommunicationRecorded,
  programLaunched,
  ProjectionSpecification,
  recordAll,
} from '@trustline/testing';
import { documentFold } from '../runner/document.projection';
import { programsProjection } from './programs.projection';

const programs = ProjectionSpecification.for(documentFold(programsProjection.spec, fixtureIds.program));

describe('the programs read model', () => {
  it('shows nothing for a program stream before its launch', () => {
    programs.given(recordAll([programCommunicationRecorded()])).then(null);
  });

  it('shows a launched program with its name, cadence, launch instant and communications', () => {
    programs
      .given(
        recordAll([
          programLaunched({ name: 'Founders', cadenceDays: 7, occurredAt: at(0) }),
          programCommunicationRecorded(),
        ]),
      )
      .thenMatches({
        id: fixtureIds.program,
        revision: 1,
        position: 1n,
        state: { status: 'launched', name: 'Founders', cadenceDays: 7, launchedAt: at(0), communications: 1 },
      });
  });

  it('lists a program at the position of its launch, whatever comes later', () => {
    programs
      .given(recordAll([programLaunched(), programCommunicationRecorded()], { firstPosition: 40n }))
      .thenState((doc) => expect(doc?.position).toBe(40n));
  });

  it('ignores every event delivered twice', () => {
    programs
      .given(
        recordAll([
          programLaunched(),
          programCommunicationRecorded(),
          programCommunicationRecorded({ occurredAt: at(2) }),
        ]),
      )
      .thenIgnoresRedelivery();
  });

  it('ignores an event older than the last one applied', () => {
    const [launched, first, second] = recordAll([
      programLaunched(),
      programCommunicationRecorded(),
      programCommunicationRecorded({ occurredAt: at(3) }),
    ]);
    programs.given([launched, first, second]).thenIgnoresRedeliveryOf(first);
  });
});
