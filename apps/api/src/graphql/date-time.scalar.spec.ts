import { DateTimeScalar, parseInstant } from './date-time.scalar';

describe('a DateTime input', () => {
  it.each([
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00.123456Z', '2026-03-01T09:30:00.123Z'],
    ['2026-03-01T10:30:00+01:00', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30Z', '2026-03-01T09:30:00.000Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ['2000-02-29T00:00:00-23:59', '2000-02-29T23:59:00.000Z'],
    ['2026-12-31T23:59:59.999+00:00', '2026-12-31T23:59:59.999Z'],
  ])('%s is kept as %s', (input, expected) => {
    expect(parseInstant(input)).toBe(expected);
  });

  it.each([
    '2026-03-01T09:30:00',
    '2026-03-01',
    'yesterday',
    '2026-13-45T00:00:00Z',
    42,
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2100-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-03-00T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T09:60:00Z',
    '2026-03-01T09:30:60Z',
    '2026-03-01T09:30:00+24:00',
    '2026-03-01T09:30:00+05:60',
    '2026-03-01T09:30:00Z\u0000',
    null,
    {},
  ])('%s is refused as BAD_USER_INPUT', (input) => {
    expect(() => parseInstant(input)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });
});

describe('a DateTime already in its answered form', () => {
  it.each([
    '2026-03-01T09:30:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '0000-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
  ])('%s is kept as it is', (input) => {
    expect(parseInstant(input)).toBe(input);
  });

  it.each([
    '2026-02-30T00:00:00.000Z',
    '2026-02-29T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-03-01T24:00:00.000Z',
    '2026-03-01T09:60:00.000Z',
    '2026-03-01T09:30:60.000Z',
  ])('%s is still refused as BAD_USER_INPUT', (input) => {
    expect(() => parseInstant(input)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });

  it('answers every instant as the checked path does', () => {
    const scalar = new DateTimeScalar();
    for (
      let millis = Date.parse('2023-12-31T22:00:00.000Z');
      millis < Date.parse('2024-03-02T00:00:00Z');
      millis += 3_599_999
    ) {
      const iso = new Date(millis).toISOString();
      expect(scalar.serialize(iso)).toBe(iso);
      expect(scalar.serialize(iso.replace('Z', '+00:00'))).toBe(iso);
    }
  });
});
