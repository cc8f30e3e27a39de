import { fromMillis, toMillis } from './instant';

// toMillis reads canonical instants itself: it must agree with Date.parse on every string, well formed or not.
describe('toMillis', () => {
  it('agrees with Date.parse on canonical instants across the calendar', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Years 0000 to 9999, the whole canonical range, and every day of the years around now.
    const [first, last] = [Date.parse('0000-01-01T00:00:00.000Z'), Date.parse('9999-12-31T23:59:59.999Z')];
    for (let i = 0; i < 20_000; i++) {
      const instant = fromMillis(Math.floor(first + next() * (last - first)));
      expect(toMillis(instant)).toBe(Date.parse(instant));
    }
    for (
      let day = Date.parse('1999-01-01T00:00:00.000Z');
      day < Date.parse('2041-01-01T00:00:00.000Z');
      day += 86_399_999
    ) {
      const instant = fromMillis(day);
      expect(toMillis(instant)).toBe(Date.parse(instant));
    }
  });

  it.each([
    '2024-02-29T00:00:00.000Z',
    '2023-02-29T00:00:00.000Z',
    '2024-02-31T23:59:59.999Z',
    '2024-04-31T00:00:00.000Z',
    '2024-01-00T00:00:00.000Z',
    '2024-01-32T00:00:00.000Z',
    '2024-00-10T00:00:00.000Z',
    '2024-13-01T00:00:00.000Z',
    '2024-01-01T24:00:00.000Z',
    '2024-01-01T23:60:00.000Z',
    '2024-01-01T23:59:60.000Z',
    '0000-01-01T00:00:00.000Z',
    '0099-12-31T23:59:59.999Z',
    '0100-03-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    '+002024-01-01T00:00:00.000Z',
    '2024-01-01T00:00:00Z',
    '2024-01-01T00:00:00.000+01:00',
    '2024-01-01 00:00:00.000Z',
    '2024-0a-01T00:00:00.000Z',
    '2024-01-01T00:00:00.0-0Z',
    'not an instant at all...',
    '',
  ])('agrees with Date.parse on %j', (text) => {
    expect(toMillis(text)).toBe(Date.parse(text));
  });
});
