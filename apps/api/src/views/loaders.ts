import DataLoader from 'dataloader';
import type { EvidenceSummary, RelationshipEvidence } from '@trustline/domain';
import type { ParticipantView, ProgramView, RelationshipView } from '@trustline/projections';
import type { Views } from './views.service';

/**
 * Per-request batching of lookups inside lists (a page of relationships asks for its mentors once).
 * They answer with read-model views; the resolvers shape them as GraphQL models.
 */
export interface Loaders {
  readonly program: DataLoader<string, ProgramView | null>;
  readonly participant: DataLoader<string, ParticipantView | null>;
  readonly relationship: DataLoader<string, RelationshipView | null>;
  /** Each relationship's trust evidence, derived once per request up to the request's clock: for trajectories. */
  readonly evidence: DataLoader<string, RelationshipEvidence>;
  /** The summary of that evidence, kept between requests while current: for scores and cadence. */
  readonly summary: DataLoader<string, EvidenceSummary>;
}

/**
 * `now`: the request's instant. Each loader is made when the request first asks for it: most requests use one or
 * two of the five (the trust read: relationship and summary), and every request made all five before.
 */
export function createLoaders(views: Views, now: number): Loaders {
  return new RequestLoaders(views, now);
}

class RequestLoaders implements Loaders {
  private programLoader?: Loaders['program'];
  private participantLoader?: Loaders['participant'];
  private relationshipLoader?: Loaders['relationship'];
  private evidenceLoader?: Loaders['evidence'];
  private summaryLoader?: Loaders['summary'];
  // The revision each relationship view of this request was read at: its summary is checked against the same one,
  // so the trust read asks the read database for it once, not twice, and view and trust are of the same facts.
  private readonly revisionsRead = new Map<string, number>();

  constructor(
    private readonly views: Views,
    private readonly now: number,
  ) {}

  get program(): Loaders['program'] {
    return (this.programLoader ??= new DataLoader((ids) => this.views.programsById(ids)));
  }

  get participant(): Loaders['participant'] {
    return (this.participantLoader ??= new DataLoader((ids) => this.views.participantsById(ids)));
  }

  get relationship(): Loaders['relationship'] {
    return (this.relationshipLoader ??= new DataLoader((ids) => this.views.relationshipsById(ids, this.revisionsRead)));
  }

  get evidence(): Loaders['evidence'] {
    return (this.evidenceLoader ??= new DataLoader((ids) => this.views.evidenceById(ids, this.now)));
  }

  get summary(): Loaders['summary'] {
    return (this.summaryLoader ??= new DataLoader((ids) =>
      this.views.summariesById(ids, this.now, this.revisionsRead),
    ));
  }
}
