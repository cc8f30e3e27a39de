import * as fc from 'fast-check';
import {
  participantDecider,
  type ParticipantState,
  programDecider,
  type ProgramState,
  relationshipDecider,
  type RelationshipState,
  toMillis,
} from '@trustline/domain';
import { planDemoProgram, type DemoPlan } from './demo-program.plan';

const NOW = Date.parse('2025-06-15T12:00:00.000Z');

/** Runs the plan through the deciders as the command handlers would; throws the first refusal. */
function replay(plan: DemoPlan): Map<string, RelationshipState> {
  const programs = new Map<string, ProgramState>();
  const participants = new Map<string, ParticipantState>();
  const relationships = new Map<string, RelationshipState>();
  const programFact = (id: string) => {
    const state = programs.get(id) ?? programDecider.initialState();
    return state.status === 'launched' ? { programId: state.programId, cadenceDays: state.cadenceDays } : null;
  };
  const participantFact = (id: string) => {
    const state = participants.get(id) ?? participantDecider.initialState();
    return state.status === 'registered'
      ? { participantId: state.participantId, programId: state.programId, role: state.role }
      : null;
  };
  plan.commands.forEach(({ stream, command }, index) => {
    const refused = (error: unknown) =>
      new Error(`command ${index} (${command.type}) was refused: ${(error as Error).message}`);
    try {
      switch (stream) {
        case 'program': {
          const id = command.data.programId;
          const state = programs.get(id) ?? programDecider.initialState();
          programs.set(id, programDecider.decide(command, state).reduce(programDecider.evolve, state));
          break;
        }
        case 'participant': {
          const id = command.data.participantId;
          const state = participants.get(id) ?? participantDecider.initialState();
          const enriched = { ...command, data: { ...command.data, program: programFact(command.data.programId) } };
          participants.set(id, participantDecider.decide(enriched, state).reduce(participantDecider.evolve, state));
          break;
        }
        case 'relationship': {
          const id = command.data.relationshipId;
          const state = relationships.get(id) ?? relationshipDecider.initialState();
          const enriched =
            command.type === 'StartRelationship'
              ? {
                  ...command,
                  data: {
                    ...command.data,
                    program: programFact(command.data.programId),
                    mentor: participantFact(command.data.mentorId),
                    mentee: participantFact(command.data.menteeId),
                  },
                }
              : command;
          relationships.set(id, relationshipDecider.decide(enriched, state).reduce(relationshipDecider.evolve, state));
          break;
        }
      }
    } catch (error) {
      throw refused(error);
    }
  });
  return relationships;
}

describe('a planned demo program', () => {
  it('is accepted command after command by the deciders, whatever the seed, size and length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 9 }),
        (seed, relationships, months) => {
          replay(planDemoProgram({ seed, relationships, months, now: NOW }));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('lies entirely in the past, in the order it happened', () => {
    const plan = planDemoProgram({ seed: 7, relationships: 30, months: 6, now: NOW });
    const instants = plan.commands.map(({ command }) => toMillis(command.data.occurredAt));
    expect(Math.max(...instants)).toBeLessThan(NOW);
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(plan.launchedAt).toBeGreaterThanOrEqual(NOW - 6 * 30 * 86_400_000 - 86_400_000);
  });

  it('is the same for the same seed and differs for another', () => {
    const options = { relationships: 10, months: 4, now: NOW };
    const first = planDemoProgram({ seed: 42, ...options });
    expect(planDemoProgram({ seed: 42, ...options })).toEqual(first);
    expect(planDemoProgram({ seed: 43, ...options }).programId).not.toBe(first.programId);
  });

  it('of fifty pairs mixes every behaviour, with pauses, endings, missed and cancelled meetings and broken promises', () => {
    const plan = planDemoProgram({ seed: 42, relationships: 50, months: 6, now: NOW });
    const behaviours = new Set(plan.relationships.map((relationship) => relationship.behaviour));
    expect([...behaviours].sort()).toEqual(['lapsing', 'promise-breaking', 'recovering', 'steady']);
    const types = plan.commands.map(({ command }) => command.type);
    for (const type of [
      'PauseRelationship',
      'ResumeRelationship',
      'EndRelationship',
      'RecordMeetingMissed',
      'CancelMeeting',
      'BreakPromise',
      'RenegotiatePromise',
      'SubmitTrustCheckIn',
      'RecordProgramCommunication',
    ] as const) {
      expect(types).toContain(type);
    }
    const states = [...replay(plan).values()];
    expect(states.filter((state) => state.status === 'ended').length).toBe(
      plan.relationships.filter((r) => r.ended).length,
    );
    expect(plan.relationships.filter((r) => r.ended).length).toBeGreaterThanOrEqual(3);
  });

  describe('of a steady relationship', () => {
    it('meets about every two weeks and keeps most promises', () => {
      const plan = planDemoProgram({ seed: 42, relationships: 50, months: 6, now: NOW });
      const states = replay(plan);
      const steady = plan.relationships.filter((r) => r.behaviour === 'steady' && !r.ended && !r.paused);
      for (const { relationshipId } of steady) {
        const state = states.get(relationshipId)!;
        if (state.status !== 'active' && state.status !== 'paused') throw new Error('not open');
        const held = state.meetings.filter((meeting) => meeting.status === 'HELD').map((m) => toMillis(m.startsAt));
        const gaps = held.slice(1).map((start, i) => (start - held[i]) / 86_400_000);
        const settled = state.promises.filter((promise) => promise.status !== 'OPEN');
        expect(gaps.every((gap) => gap < 28)).toBe(true);
        if (settled.length >= 4) {
          expect(settled.filter((promise) => promise.status === 'KEPT').length / settled.length).toBeGreaterThan(0.6);
        }
      }
    });
  });
});
