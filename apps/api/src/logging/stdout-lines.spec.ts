import { STDOUT_LINES_TUNING, StdoutLines } from './stdout-lines';

/** What reached the destination, one entry per write. */
function sink() {
  const writes: string[] = [];
  const lines = new StdoutLines({ write: (chunk: string) => writes.push(chunk) });
  const deferred = (line: string) => lines.deferred(() => lines.write(line));
  return { lines, writes, deferred, text: () => writes.join('') };
}

describe('the server log stream', () => {
  afterEach(() => jest.useRealTimers());

  describe('a line that is not deferred', () => {
    it('is written at once, in its own write', () => {
      const { lines, writes } = sink();
      lines.write('a\n');
      lines.write('b\n');
      expect(writes).toEqual(['a\n', 'b\n']);
      lines.close();
    });

    it('writes the request lines held back before itself, in the order they came', () => {
      const { lines, writes, deferred } = sink();
      deferred('r1\n');
      deferred('r2\n');
      expect(writes).toEqual([]);
      lines.write('shutting down\n');
      expect(writes).toEqual(['r1\nr2\n', 'shutting down\n']);
      lines.close();
    });
  });

  describe('deferred lines', () => {
    it('are written together once they reach the size bound, every character kept', () => {
      const { lines, writes, text, deferred } = sink();
      const line = `${'x'.repeat(99)}\n`;
      const count = Math.ceil(STDOUT_LINES_TUNING.flushChars / line.length);
      for (let i = 0; i < count - 1; i++) deferred(line);
      expect(writes).toEqual([]);
      deferred(line);
      expect(writes).toHaveLength(1);
      expect(text()).toBe(line.repeat(count));
      lines.close();
    });

    it('are written at most the delay bound after the first of them', () => {
      jest.useFakeTimers();
      const { lines, writes, deferred } = sink();
      deferred('r1\n');
      jest.advanceTimersByTime(STDOUT_LINES_TUNING.flushDelayMs - 1);
      deferred('r2\n');
      expect(writes).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(writes).toEqual(['r1\nr2\n']);
      jest.advanceTimersByTime(10 * STDOUT_LINES_TUNING.flushDelayMs);
      expect(writes).toEqual(['r1\nr2\n']);
      lines.close();
    });

    it('are written by flushSync and by pino’s flush, which then calls back', () => {
      const { lines, writes, deferred } = sink();
      deferred('r1\n');
      lines.flushSync();
      deferred('r2\n');
      const called = jest.fn();
      lines.flush(called);
      expect(writes).toEqual(['r1\n', 'r2\n']);
      expect(called).toHaveBeenCalledWith();
      lines.close();
    });

    it('are written as they come once the application shuts down, and what was held back first', () => {
      const { lines, writes, deferred } = sink();
      deferred('r1\n');
      lines.stopHolding();
      expect(writes).toEqual(['r1\n']);
      deferred('r2\n');
      expect(writes).toEqual(['r1\n', 'r2\n']);
      lines.close();
    });

    it('leave the deferring to the one call: a line after it is written at once, even when the call threw', () => {
      const { lines, writes } = sink();
      expect(() =>
        lines.deferred(() => {
          lines.write('r1\n');
          throw new Error('serializer failed');
        }),
      ).toThrow('serializer failed');
      lines.write('next\n');
      expect(writes).toEqual(['r1\n', 'next\n']);
      lines.close();
    });
  });
});
