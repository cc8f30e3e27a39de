import type { Decider } from '@trustline/domain/shared/decider';
import { DomainError, type DomainErrorKind } from '@trustline/domain/shared/domain-error';

/**
 * What a refused command must throw: a DomainError's rule name, a rule with
 * its kind, or any predicate over the thrown value.
 */
export type ExpectedRefusal = string | { rule: string; kind?: DomainErrorKind } | ((error: unknown) => boolean);

export interface DeciderOutcome<Event> {
  /** The command is accepted and produces exactly these events, in this order. */
  then(expected: Event[]): void;
  /** The command is refused. */
  thenThrows(expected: ExpectedRefusal): void;
}

const describeValue = (value: unknown): string => {
  if (value instanceof DomainError) return `DomainError ${value.kind} ${value.rule}: ${value.message}`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return JSON.stringify(value);
};

const assertRefusal = (error: unknown, expected: ExpectedRefusal): void => {
  if (typeof expected === 'function') {
    if (!expected(error)) throw new Error(`The thrown value does not match the predicate: ${describeValue(error)}`);
    return;
  }
  if (!(error instanceof DomainError)) {
    throw new Error(`Expected a DomainError but the command threw ${describeValue(error)}`);
  }
  const wanted = typeof expected === 'string' ? { rule: expected } : expected;
  expect({ kind: error.kind, rule: error.rule }).toEqual({ kind: wanted.kind ?? error.kind, rule: wanted.rule });
};

// Given/when/then for a decider: the given events are folded with the
// decider's own `evolve`, so a test also proves the state it judges against
// is reachable from stored facts.
export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return {
      given(events: Event[]) {
        return {
          when(command: Command): DeciderOutcome<Event> {
            const decide = (): Event[] => {
              const state = events.reduce(decider.evolve, decider.initialState());
              return decider.decide(command, state);
            };
            return {
              then(expected) {
                expect(decide()).toEqual(expected);
              },
              thenThrows(expected) {
                let produced: Event[];
                try {
                  produced = decide();
                } catch (error) {
                  assertRefusal(error, expected);
                  return;
                }
                throw new Error(`Expected the command to be refused, but it produced ${JSON.stringify(produced)}`);
              },
            };
          },
        };
      },
    };
  },
};
