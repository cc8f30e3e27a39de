import * as path from 'node:path';
import { storedEvent } from '@trustline/testing/projected.fixtures';
import { tempFolder } from '@trustline/testing/read-model.fixtures';
import { ReadModels } from '../queries/read-models.queries';
import { ReadModelDatabase } from './read-model.database';

// Two servers on one DATA_DIR project into the same read file, each from its own subscription.

const launched = (n: number) =>
  storedEvent(
    `program-00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    {
      type: 'ProgramLaunched',
      data: {
        programId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        name: `Program ${n}`,
        cadenceDays: 14,
        sessionMinutes: 60,
        occurredAt: '2025-01-06T00:00:00.000Z',
      },
    },
    { position: BigInt(n) },
  );

describe('one read file projected by two processes', () => {
  const folder = tempFolder('shared-read');
  afterAll(() => folder.remove());

  it('applies in each batch only the events the other has not committed yet', () => {
    const file = path.join(folder.dir, 'read.db');
    const first = ReadModelDatabase.open({ file });
    const second = ReadModelDatabase.open({ file });
    const events = [1, 2, 3, 4, 5].map(launched);

    expect(first.applyBatch(events.slice(0, 3)).map((e) => e.position)).toEqual([1n, 2n, 3n]);
    expect(second.applyBatch(events).map((e) => e.position)).toEqual([4n, 5n]);
    expect(first.applyBatch(events).map((e) => e.position)).toEqual([]);
    expect(first.checkpoint()).toBe(5n);
    expect(new ReadModels(second).countPrograms()).toBe(5);
    first.close();
    second.close();
  });
});
