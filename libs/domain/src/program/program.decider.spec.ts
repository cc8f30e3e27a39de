import {
  at,
  DeciderSpecification,
  launchProgram,
  programCommunicationRecorded,
  programLaunched,
  ProjectionSpecification,
  recordProgramCommunication,
} from '@trustline/testing';
import { programDecider } from './program.decider';

const spec = DeciderSpecification.for(programDecider);

describe('a program that does not exist yet', () => {
  it('is launched with its name, cadence and session length', () => {
    spec.given([]).when(launchProgram()).then([programLaunched()]);
  });

  it('refuses a communication as unknown', () => {
    spec.given([]).when(recordProgramCommunication()).thenThrows({ rule: 'program.not-found', kind: 'NOT_FOUND' });
  });
});

describe('a launched program', () => {
  const launched = [programLaunched({ occurredAt: at(0) })];

  it('cannot be launched again', () => {
    spec.given(launched).when(launchProgram()).thenThrows({ rule: 'program.already-exists', kind: 'CONFLICT' });
  });

  it('records a communication', () => {
    spec.given(launched).when(recordProgramCommunication()).then([programCommunicationRecorded()]);
  });

  it('records a communication at the very instant of its launch', () => {
    spec
      .given(launched)
      .when(recordProgramCommunication({ occurredAt: at(0) }))
      .then([programCommunicationRecorded({ occurredAt: at(0) })]);
  });

  it('refuses a communication back-dated before its launch', () => {
    spec
      .given(launched)
      .when(recordProgramCommunication({ occurredAt: at(-1) }))
      .thenThrows('program.before-launch');
  });
});

describe('the program state', () => {
  const fold = ProjectionSpecification.for(programDecider);

  it('shows the launch and counts communications', () => {
    fold.given([programLaunched(), programCommunicationRecorded(), programCommunicationRecorded()]).then({
      status: 'launched',
      programId: programLaunched().data.programId,
      name: 'Founders 2025',
      cadenceDays: 14,
      sessionMinutes: 60,
      launchedAt: at(0),
      communications: 2,
    });
  });

  it('ignores a communication without a launch', () => {
    fold.given([programCommunicationRecorded()]).then({ status: 'none' });
  });

  it('keeps its first launch', () => {
    fold
      .given([programLaunched(), programLaunched({ name: 'Renamed' })])
      .thenMatches({ status: 'launched', name: 'Founders 2025' });
  });
});
