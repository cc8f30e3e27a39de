import type { ParticipantState } from '@trustline/domain';
import {
  type EventStore,
  holdsLegacyPlaintext,
  type PersonalData,
  StreamNotFound,
  streamName,
} from '@trustline/event-store';

/** Where the relationships a participant is a party to are found (the read models, in the API and the CLI). */
export interface PartiesOfParticipant {
  partiesOfParticipant(participantId: string): { relationshipId: string }[];
}

/**
 * The part of eraseParticipant that happens outside the participant's
 * stream: the keys of the participant and of every relationship it is a
 * party to are destroyed, and the events stored before sealing existed
 * (plaintext that no key can shred) are counted so the erasure says so.
 */
export class ParticipantErasure {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: PartiesOfParticipant,
    private readonly personalData: PersonalData,
  ) {}

  async destroyKeys(
    participantId: string,
    state: ParticipantState,
    erasedAt: string,
  ): Promise<{ erasedSubjects: string[]; legacyPlaintextEvents: number }> {
    // Unknown participant: nothing to destroy; the decider answers NOT_FOUND.
    if (state.status !== 'registered') return { erasedSubjects: [], legacyPlaintextEvents: 0 };
    const participantStream = streamName('participant', participantId);
    const relationshipStreams = this.readModels
      .partiesOfParticipant(participantId)
      .map((party) => streamName('relationship', party.relationshipId));
    const erasedSubjects = await this.personalData.eraseParticipant(
      participantStream,
      participantId,
      relationshipStreams,
      erasedAt,
    );
    let legacyPlaintextEvents = 0;
    for (const subject of erasedSubjects) legacyPlaintextEvents += await this.legacyEventsOf(subject);
    return { erasedSubjects, legacyPlaintextEvents };
  }

  private async legacyEventsOf(stream: string): Promise<number> {
    try {
      const events = await this.store.readStream(stream);
      return events.filter((event) => holdsLegacyPlaintext(event.type, Number(event.metadata.schemaVersion ?? 1)))
        .length;
    } catch (error) {
      if (error instanceof StreamNotFound) return 0;
      throw error;
    }
  }
}
