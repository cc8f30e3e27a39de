import { type GroupOutcome, GroupCommitQueue } from './group-commit.queue';

/** A queue whose commits are recorded; requests below zero fail on their own, 'boom' fails the whole commit. */
function recordingQueue(options: { maxWaitMs?: number; maxGroupSize?: number } = {}) {
  const groups: number[][] = [];
  const queue = new GroupCommitQueue<number, number>((requests): GroupOutcome<number>[] => {
    groups.push([...requests]);
    if (requests.includes(999)) throw new Error('boom');
    return requests.map((n) => (n < 0 ? { ok: false, error: new Error(`refused ${n}`) } : { ok: true, value: n * 10 }));
  }, options);
  return { queue, groups };
}

describe('the group commit queue', () => {
  it('commits requests made in the same turn of the event loop in one group, in the order made', async () => {
    const { queue, groups } = recordingQueue();
    const results = await Promise.all([1, 2, 3, 4].map((n) => queue.submit(n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(groups).toEqual([[1, 2, 3, 4]]);
  });

  it('gives a refused request its own error and the others of its group their results', async () => {
    const { queue, groups } = recordingQueue();
    const outcomes = await Promise.allSettled([1, -2, 3].map((n) => queue.submit(n)));
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('refused -2') },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(groups).toHaveLength(1);
  });

  it('fails every request of a group whose commit fails, and none of the next group', async () => {
    const { queue } = recordingQueue();
    const failed = await Promise.allSettled([1, 999].map((n) => queue.submit(n)));
    expect(failed.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await expect(queue.submit(5)).resolves.toBe(50);
  });

  it('commits a lone request at the end of the turn, without waiting for the bound', async () => {
    // A bound far longer than the test's timeout: were it waited for, the test would time out.
    const { queue, groups } = recordingQueue({ maxWaitMs: 60_000 });
    await expect(queue.submit(7)).resolves.toBe(70);
    await expect(queue.submit(8)).resolves.toBe(80);
    expect(groups).toEqual([[7], [8]]);
  });

  it('once requests overlap, waits up to the bound so that later ones join the group', async () => {
    const { queue, groups } = recordingQueue({ maxWaitMs: 50 });
    await Promise.all([1, 2].map((n) => queue.submit(n)));
    const first = queue.submit(3);
    await new Promise((resolve) => setImmediate(resolve));
    const second = queue.submit(4);
    await Promise.all([first, second]);
    expect(groups).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('splits a queue longer than the group size, committing a full group at once', async () => {
    const { queue, groups } = recordingQueue({ maxGroupSize: 3 });
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => queue.submit(n)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('commits what is queued on flush, synchronously', async () => {
    const { queue, groups } = recordingQueue();
    const pending = queue.submit(1);
    expect(queue.pending).toBe(1);
    queue.flush();
    expect(groups).toEqual([[1]]);
    await expect(pending).resolves.toBe(10);
  });
});
