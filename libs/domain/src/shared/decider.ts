// A decider in the Emmett sense: what a stream may do next (decide), and what
// a stored fact does to its state (evolve). Pure: time and ids are inputs.
export interface Decider<Command, Event, State> {
  initialState: () => State;
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
}

export const assertNever = (value: never): never => {
  throw new Error(`Unexpected variant: ${JSON.stringify(value)}`);
};
