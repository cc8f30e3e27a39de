import type { Instant } from './instant';

// A domain event as the store gave it back: what the trust model and the
// read models need besides the fact itself (its identity, its place in the
// global order and when the server learned of it).
export interface Recorded<E extends { type: string; data: unknown }> {
  eventId: string;
  /** Global commit position: breaks ties between facts at the same instant. */
  position: bigint;
  /** Revision within its stream, from 0. */
  revision: number;
  recordedAt: Instant;
  event: E;
}
