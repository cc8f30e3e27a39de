// Instants travel as ISO-8601 strings in UTC with milliseconds and a trailing Z
// (what `Date.prototype.toISOString` produces), so events are plain JSON.
export type Instant = string;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

// The trust engine and the projections turn instants into numbers for every
// fact they fold, and Date.parse was a tenth of a rebuild: the canonical shape
// (YYYY-MM-DDTHH:mm:ss.sssZ) is read digit by digit, giving Date.parse's result
// (a day past the month's end rolls over, as Date.parse does); any other
// shape, or a field out of Date.parse's ranges, goes to Date.parse itself.
const ZERO = 48;
const digits = (text: string, from: number, count: number): number => {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
};
const [DASH, T, COLON, DOT, Z] = ['-', 'T', ':', '.', 'Z'].map((c) => c.charCodeAt(0));
const isCanonical = (text: string): boolean =>
  text.length === 24 &&
  text.charCodeAt(4) === DASH &&
  text.charCodeAt(7) === DASH &&
  text.charCodeAt(10) === T &&
  text.charCodeAt(13) === COLON &&
  text.charCodeAt(16) === COLON &&
  text.charCodeAt(19) === DOT &&
  text.charCodeAt(23) === Z;

/** Days from 1970-01-01 to a proleptic Gregorian date; a day past the month's end counts on (H. Hinnant's days_from_civil). */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
};

export const toMillis = (instant: Instant): number => {
  if (typeof instant !== 'string' || !isCanonical(instant)) return Date.parse(instant);
  const year = digits(instant, 0, 4);
  const month = digits(instant, 5, 2);
  const day = digits(instant, 8, 2);
  const hour = digits(instant, 11, 2);
  const minute = digits(instant, 14, 2);
  const second = digits(instant, 17, 2);
  const ms = digits(instant, 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return Date.parse(instant);
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return Date.parse(instant);
  return (((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second) * 1000 + ms;
};
export const fromMillis = (ms: number): Instant => new Date(ms).toISOString();
