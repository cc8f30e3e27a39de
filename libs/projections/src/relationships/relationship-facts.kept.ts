import type Database from 'better-sqlite3';
import type { Recorded, RelationshipEvent } from '@trustline/domain';
import { storedJsonOf } from '@trustline/event-store';
import { factOfColumns } from './relationship-facts.projection';

// A rebuild derives every relationship's evidence summary once, after the
// load. Reading each one's facts back from relationship_facts (through its
// index: one relationship's rows are spread over the whole table) was most of
// that work. In a rebuild the evidence writer sees every fact the table will
// hold, so it keeps, per relationship, the column values the facts projection
// writes (mostly strings already read from the store: the data's stored text,
// the event id) and derives from those. Strings and small integers only, in one
// flat array per relationship: parsed facts kept so long cost the collector
// more than the read-back saved. Bounded: past the budget a relationship's
// facts are dropped, and read back as before.

/** Values kept per fact, flat: eventId, position, revision, recordedAt, type, data. */
const WIDTH = 6;
/** Bytes counted per fact beside its strings' lengths (the slots, the strings' headers). */
const OVERHEAD = 96;
const LONE_SURROGATE = /\p{Surrogate}/u;

export class FactsKept {
  private readonly facts = new Map<string, (string | number)[]>();
  /** Relationships whose facts are not (or no longer all) kept. */
  private readonly dropped = new Set<string>();
  private bytes = 0;
  private keeping = true;
  private readonly asStored;

  /** `db`: any connection, to learn what SQLite stores of a text. */
  constructor(
    db: Database.Database,
    private readonly budget: number,
  ) {
    this.asStored = db.prepare('SELECT ?').pluck(true);
  }

  /** A fact of the relationship, as the facts projection writes it; in position order, every one of them. */
  add(id: string, fact: Recorded<RelationshipEvent>): void {
    if (!this.keeping || this.dropped.has(id)) return;
    // The data as the facts row holds it: its stored text, or the JSON of its upcast (well-formed either way).
    const data = storedJsonOf(fact.event.data);
    let facts = this.facts.get(id);
    if (facts === undefined) this.facts.set(id, (facts = []));
    const position = Number(fact.position);
    facts.push(this.stored(fact.eventId), position, fact.revision, this.stored(fact.recordedAt), fact.event.type, data);
    this.bytes += bytesOfFact(facts, facts.length - WIDTH);
    if (this.bytes > this.budget || !Number.isSafeInteger(position)) this.drop(id);
  }

  /** The relationship's facts as factOfRow reads them back, in position order; undefined when not kept. Forgets them. */
  take(id: string): Recorded<RelationshipEvent>[] | undefined {
    const facts = this.facts.get(id);
    if (facts === undefined) return undefined;
    this.drop(id);
    const all: Recorded<RelationshipEvent>[] = [];
    for (let i = 0; i < facts.length; i += WIDTH) {
      all.push(
        factOfColumns(
          facts[i] as string,
          BigInt(facts[i + 1]),
          facts[i + 2] as number,
          facts[i + 3] as string,
          facts[i + 4] as string,
          facts[i + 5] as string,
        ),
      );
    }
    return all;
  }

  /** A batch rolled back: what is kept may no longer be what the table holds. Keeps nothing from now on. */
  stop(): void {
    this.keeping = false;
    this.facts.clear();
    this.bytes = 0;
  }

  private drop(id: string): void {
    const facts = this.facts.get(id);
    if (facts === undefined) return;
    this.facts.delete(id);
    this.dropped.add(id);
    for (let i = 0; i < facts.length; i += WIDTH) this.bytes -= bytesOfFact(facts, i);
  }

  // What SQLite gives back for a text it stores: a lone surrogate comes back as replacement characters.
  private stored(text: string): string {
    return LONE_SURROGATE.test(text) ? (this.asStored.get(text) as string) : text;
  }
}

/** What the fact kept at `i` counts against the budget: its strings as kept (eventId, recordedAt, data) and OVERHEAD. */
function bytesOfFact(facts: readonly (string | number)[], i: number): number {
  return OVERHEAD + (facts[i] as string).length + (facts[i + 3] as string).length + (facts[i + 5] as string).length;
}
