import { parseInstant } from './date-time.scalar';

describe('a DateTime input', () => {
  it.each([
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00.123456Z', '2026-03-01T09:30:00.123Z'],
    ['2026-03-01T10:30:00+01:00', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30Z', '2026-03-01T09:30:00.000Z'],
  ])('%s is kept as %s', (input, expected) => {
    expect(parseInstant(input)).toBe(expected);
  });

  it.each(['2026-03-01T09:30:00', '2026-03-01', 'yesterday', '2026-13-45T00:00:00Z', 42])(
    '%s is refused as BAD_USER_INPUT',
    (input) => {
      expect(() => parseInstant(input)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    },
  );
});
