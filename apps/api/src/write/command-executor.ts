import { Inject, Injectable } from '@nestjs/common';
import { conflict, type Decider } from '@trustline/domain';
import {
  backoffDelayMs,
  chainEvents,
  EVENT_STORE,
  type EventStore,
  PersonalData,
  type RecordedEvent,
  schemaVersionOf,
  StreamNotFound,
  WrongExpectedVersion,
} from '@trustline/event-store';
import { ReadModels } from '@trustline/projections';
import type { CommandIdentity } from './command-identity';

/** Bounded optimistic-concurrency retries: re-read, decide again, append again. */
export const COMMAND_RETRY = { attempts: 12, baseDelayMs: 2, maxDelayMs: 100 } as const;

/** Who and what caused a command; becomes the metadata of every event it appends. */
export interface CommandContext {
  identity: CommandIdentity;
  mutation: string;
  inputHash: string;
  actor: string | null;
  correlationId: string;
  /** The server's clock when the request arrived. */
  recordedAt: string;
}

export interface CommandOutcome<S> {
  /** Global position of the last event the command appended (or, for a retry, had appended). */
  position: bigint;
  /** The stream's state after the command. */
  state: S;
  /** True when the idempotency key found the first call's events and nothing was appended. */
  replayed: boolean;
}

type DomainEvent = { type: string; data: unknown };

/**
 * The one write path: read the stream, fold it, decide, append at the revision
 * read; on a concurrency conflict, re-read and decide again (bounded).
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly personalData: PersonalData,
  ) {}

  async execute<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
  ): Promise<CommandOutcome<S>> {
    this.refuseKeyUsedElsewhere(streamId, context);
    for (let attempt = 1; ; attempt++) {
      const recorded = await this.readStreamOrEmpty(streamId);
      const state = fold(decider, recorded);
      const replay = this.findReplay(recorded, context);
      if (replay) return { position: replay, state, replayed: true };

      const events = decider.decide(command, state);
      const last = recorded[recorded.length - 1];
      if (events.length === 0) return { position: last?.position ?? 0n, state, replayed: false };
      // Sealed before hashing: the chain covers the stored ciphertext, so erasure never breaks it (docs/erasure.md).
      const sealed = await this.personalData.protect(streamId, events);
      const toAppend = chainEvents(
        sealed.map((event, index) => ({
          id: context.identity.eventId(index),
          type: event.type,
          data: event.data,
          metadata: this.metadataFor(event, context),
        })),
        (last?.metadata.hash as string | undefined) ?? null,
      );
      try {
        const result = await this.store.appendToStream(streamId, toAppend, {
          expectedRevision: last ? last.revision : 'no_stream',
        });
        return { position: result.position, state: events.reduce(decider.evolve, state), replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion) || attempt >= COMMAND_RETRY.attempts) throw error;
        await backoff(attempt);
      }
    }
  }

  /** A stream's current state, folded with its decider (the initial state when the stream does not exist). */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<S> {
    const recorded = await this.readStreamOrEmpty(streamId);
    return fold(decider, recorded);
  }

  /** The stream's events as the decider sees them: `{ type, data }` plus the stored envelope. */
  private async readStreamOrEmpty(streamId: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(streamId);
    } catch (error) {
      if (error instanceof StreamNotFound) return [];
      throw error;
    }
  }

  // Keys are global: one already used on another stream (by another mutation) is refused.
  private refuseKeyUsedElsewhere(streamId: string, context: CommandContext): void {
    if (!context.identity.idempotencyKey) return;
    const earlier = this.readModels.findIdempotentEvent(context.identity.eventId(0));
    if (earlier && earlier.streamId !== streamId) throw keyReused();
  }

  /** The position the first call reached, when this command is its retry. */
  private findReplay(recorded: RecordedEvent[], context: CommandContext): bigint | null {
    const key = context.identity.idempotencyKey;
    if (!key) return null;
    const earlier = recorded.filter((event) => event.metadata.idempotencyKey === key);
    if (earlier.length === 0) return null;
    if (earlier.some((event) => event.metadata.inputHash !== context.inputHash)) throw keyReused();
    return earlier[earlier.length - 1].position;
  }

  private metadataFor(event: DomainEvent, context: CommandContext): Record<string, unknown> {
    return {
      occurredAt: (event.data as { occurredAt: string }).occurredAt,
      recordedAt: context.recordedAt,
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.identity.commandId,
      schemaVersion: schemaVersionOf(event.type),
      ...(context.identity.idempotencyKey
        ? { idempotencyKey: context.identity.idempotencyKey, inputHash: context.inputHash, mutation: context.mutation }
        : {}),
    };
  }
}

// A recorded event is a domain event with its envelope: `{ type, data }` is all evolve reads.
const fold = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>, recorded: RecordedEvent[]): S =>
  recorded.reduce((state, event) => decider.evolve(state, event as unknown as E), decider.initialState());

const keyReused = () =>
  conflict('idempotency.key-reused', 'This idempotency key was already used with another input or mutation');

function backoff(attempt: number): Promise<void> {
  const ceiling = backoffDelayMs(attempt, { initialMs: COMMAND_RETRY.baseDelayMs, factor: 2, maxMs: COMMAND_RETRY.maxDelayMs });
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
