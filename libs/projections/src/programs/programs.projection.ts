import { evolveProgram, initialProgramState, type ProgramState } from '@trustline/domain/program/program.decider';
import { defineDocumentProjection } from '../runner/document.projection';

/** A launched program as its decider sees it: name, cadence, launch instant, communications count. */
export type ProgramView = Extract<ProgramState, { status: 'launched' }>;

export const programsProjection = defineDocumentProjection<ProgramView, 'program'>({
  name: 'programs',
  version: 1,
  streamType: 'program',
  evolve: (view, fact) => {
    const next = evolveProgram(view ?? initialProgramState(), fact.event);
    return next.status === 'launched' ? next : null;
  },
  columns: {},
  indexes: [['position']],
});
