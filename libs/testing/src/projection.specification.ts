/**
 * Any pure fold of events into a state: a projection's read model, a trust
 * calculation, or a decider's evolve. `initialState` may be a value or a
 * factory.
 */
export interface Fold<State, Event> {
  initialState: State | (() => State);
  evolve: (state: State, event: Event) => State;
}

export interface ProjectionOutcome<State, Event> {
  /** The fold ends in exactly this state. */
  then(expected: State): void;
  /** The fold ends in a state that contains these fields (jest's toMatchObject). */
  thenMatches(expected: Partial<State> | Record<string, unknown>): void;
  /** Any other assertion on the final state. */
  thenState(assertion: (state: State) => void): void;
  /** Every event delivered twice in a row leaves the state as delivering it once did. */
  thenIgnoresRedelivery(): void;
  /** Delivering these (already given) events again after the fold changes nothing. */
  thenIgnoresRedeliveryOf(...events: Event[]): void;
}

// A value is copied for every run, so a fold that updates its state in place
// cannot carry one test's events into the next.
const initialOf = <State, Event>(fold: Fold<State, Event>): State =>
  typeof fold.initialState === 'function' ? (fold.initialState as () => State)() : structuredClone(fold.initialState);

// A projection may update its state in place; comparing against a deep copy
// keeps "nothing changed" from passing merely because both sides are the same
// object.
const snapshot = <State>(state: State): State => structuredClone(state);

export const ProjectionSpecification = {
  for<State, Event>(fold: Fold<State, Event>) {
    const run = (events: Event[]): State => events.reduce(fold.evolve, initialOf(fold));
    return {
      given(events: Event[]): ProjectionOutcome<State, Event> {
        return {
          then(expected) {
            expect(run(events)).toEqual(expected);
          },
          thenMatches(expected) {
            expect(run(events)).toMatchObject(expected);
          },
          thenState(assertion) {
            assertion(run(events));
          },
          thenIgnoresRedelivery() {
            if (events.length === 0) throw new Error('Give at least one event to redeliver');
            let state = initialOf(fold);
            events.forEach((event, index) => {
              state = fold.evolve(state, event);
              const once = snapshot(state);
              state = fold.evolve(state, event);
              expect({ redeliveredEvent: index, state }).toEqual({ redeliveredEvent: index, state: once });
            });
          },
          thenIgnoresRedeliveryOf(...redelivered) {
            if (redelivered.length === 0) throw new Error('Name at least one event to redeliver');
            let state = run(events);
            const before = snapshot(state);
            for (const event of redelivered) state = fold.evolve(state, event);
            expect(state).toEqual(before);
          },
        };
      },
    };
  },
};
