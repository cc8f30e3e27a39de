import { StreamLanes } from './stream-lanes';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('StreamLanes', () => {
  it('runs work on one key one at a time, in arrival order', async () => {
    const lanes = new StreamLanes();
    const log: string[] = [];
    let running = 0;
    const job = (name: string) => async () => {
      running += 1;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running -= 1;
      return name;
    };
    const results = await Promise.all([lanes.run('a', job('1')), lanes.run('a', job('2')), lanes.run('a', job('3'))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs work on different keys side by side', async () => {
    const lanes = new StreamLanes();
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const a = lanes.run('a', async () => {
      started.push('a');
      await gate;
    });
    const b = lanes.run('b', async () => {
      started.push('b');
    });
    await b;
    expect(started).toEqual(['a', 'b']);
    release();
    await a;
  });

  it('goes on after a failure, and the failure reaches only its caller', async () => {
    const lanes = new StreamLanes();
    const failed = lanes.run('a', async () => {
      throw new Error('refused');
    });
    const next = lanes.run('a', async () => 'next');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('next');
  });

  it('forgets a key once its work is done', async () => {
    const lanes = new StreamLanes();
    await lanes.run('a', async () => 1);
    await tick();
    expect(lanes.busy).toBe(0);
  });
});
