import { CustomScalar, Scalar } from '@nestjs/graphql';
import { GraphQLError, Kind, type ValueNode } from 'graphql';

// ISO-8601 with a zone (Z or ±hh:mm), answered in UTC with milliseconds and a
// trailing Z. Inside, instants stay ISO strings (the domain's `Instant`).
const ISO_WITH_ZONE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

// Date.parse rolls an impossible date over (2026-02-30 becomes 2 March): each
// part is checked against the calendar first.
function isRealCalendarInstant(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((index) => Number(match[index]));
  const second = Number(match[6] ?? 0);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  const offset = /^[+-](\d{2}):?(\d{2})$/.exec(match[8]);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    (!offset || (Number(offset[1]) <= 23 && Number(offset[2]) <= 59))
  );
}

// Years 0000..9999 in UTC: what the four-digit form can answer.
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

// The answer's own form, which nearly every instant inside already has (toISOString's).
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Normalises an ISO-8601 instant with a zone to `YYYY-MM-DDTHH:mm:ss.sssZ`; digits beyond milliseconds are dropped. */
export function parseInstant(value: unknown): string {
  // Already in that form, and a real instant (the calendar does not roll it over): it is its own normal form, which
  // is what the checks below would answer. Anything else takes them, and their refusals.
  if (typeof value === 'string' && CANONICAL.test(value)) {
    const millis = Date.parse(value);
    if (!Number.isNaN(millis) && new Date(millis).toISOString() === value) return value;
  }
  const match = typeof value === 'string' ? ISO_WITH_ZONE.exec(value) : null;
  if (!match) {
    throw new GraphQLError('DateTime must be an ISO-8601 string with a zone, e.g. 2026-03-01T09:30:00Z', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  if (!isRealCalendarInstant(match)) {
    throw new GraphQLError(`DateTime ${value as string} is not a real instant (no such day, hour or offset)`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const fraction = (match[7] ?? '.0').slice(1, 4).padEnd(3, '0');
  const truncated = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? '00'}.${fraction}${match[8]}`;
  const millis = Date.parse(truncated);
  if (Number.isNaN(millis) || millis < FIRST_INSTANT || millis > LAST_INSTANT) {
    throw new GraphQLError(`DateTime ${value as string} is not a real instant`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return new Date(millis).toISOString();
}

/** The specification the contract names for DateTime. */
export const DATE_TIME_SPECIFICATION = 'https://scalars.graphql.org/andimarek/date-time';

@Scalar('DateTime')
export class DateTimeScalar implements CustomScalar<string, string> {
  description = 'An ISO-8601 instant with a zone; answered in UTC with milliseconds and a trailing Z.';
  /** Printed as @specifiedBy: clients (codegen, Relay) learn the format from the schema. */
  specifiedByURL = DATE_TIME_SPECIFICATION;

  parseValue(value: unknown): string {
    return parseInstant(value);
  }

  serialize(value: unknown): string {
    if (value instanceof Date) return value.toISOString();
    // parseInstant answers toISOString's form already.
    return parseInstant(value);
  }

  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseInstant(ast.value);
  }
}
