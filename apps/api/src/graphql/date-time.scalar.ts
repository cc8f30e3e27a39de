import { CustomScalar, Scalar } from '@nestjs/graphql';
import { GraphQLError, Kind, type ValueNode } from 'graphql';

// ISO-8601 with a zone (Z or ±hh:mm), answered in UTC with milliseconds and a
// trailing Z. Inside, instants stay ISO strings (the domain's `Instant`).
const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Normalises an ISO-8601 instant with a zone to `YYYY-MM-DDTHH:mm:ss.sssZ`; digits beyond milliseconds are dropped. */
export function parseInstant(value: unknown): string {
  const match = typeof value === 'string' ? ISO_WITH_ZONE.exec(value) : null;
  if (!match) {
    throw new GraphQLError('DateTime must be an ISO-8601 string with a zone, e.g. 2026-03-01T09:30:00Z', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const fraction = (match[7] ?? '.0').slice(1, 4).padEnd(3, '0');
  const truncated = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? '00'}.${fraction}${match[8]}`;
  const millis = Date.parse(truncated);
  if (Number.isNaN(millis)) {
    throw new GraphQLError(`DateTime ${value as string} is not a real instant`, { extensions: { code: 'BAD_USER_INPUT' } });
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
    return new Date(parseInstant(value)).toISOString();
  }

  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseInstant(ast.value);
  }
}
