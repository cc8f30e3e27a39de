import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { CLOCK, type Clock } from '@trustline/command-handling';
import { type TrendBucket, type TrustDirection, trustTrajectory } from '@trustline/domain';
import {
  csvHeader,
  csvLines,
  type ExportRow,
  ReadModels,
  TRAJECTORY_COLUMNS,
  trajectoryRow,
  TREND_COLUMNS,
  trendRow,
} from '@trustline/projections';
import type { Caller } from '@trustline/access';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticationOf } from '../auth/api-gate';
import { ScopeFacts } from '../auth/scope-facts.service';
import { parseInstant } from '../graphql/date-time.scalar';
import { Views } from '../views/views.service';
import { type ExportVerdict, programTrendAccess, trajectoryAccess } from './export.access';
import { GraphQLError } from 'graphql';
import { assertInstantWindow, boundedTrendRange } from '../graphql/query-cost';

/** Rows written per chunk of the streamed body. */
const ROWS_PER_CHUNK = 500;
const BUCKETS: readonly TrendBucket[] = ['WEEK', 'MONTH'];
const DIRECTIONS: readonly TrustDirection[] = ['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'];

class ExportError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const badInput = (message: string) => new ExportError(400, 'BAD_USER_INPUT', message);

/** The query limits' refusals (GraphQL errors naming the argument) as the export's 400. */
function withinLimits<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof GraphQLError) throw badInput(error.message);
    throw error;
  }
}

function instantParam(name: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return parseInstant(value);
  } catch {
    throw badInput(`${name} must be an ISO-8601 instant with a zone, e.g. 2026-03-01T09:30:00Z`);
  }
}

function enumParam<T extends string>(name: string, value: unknown, values: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !values.includes(value as T))
    throw badInput(`${name} must be one of ${values.join(', ')}`);
  return value as T;
}

/**
 * The CSVs program managers open in a spreadsheet and auditors file away:
 * the same rows as `trustline export`, the same figures as the GraphQL
 * fields they mirror, under the same rules: behind the API gate (a valid
 * token, the rate limit: api-gate.ts), then the access policy (export.access.ts).
 */
@Controller('export')
export class ExportsController {
  constructor(
    private readonly facts: ScopeFacts,
    private readonly views: Views,
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('programs/:id/trend.csv')
  trend(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    this.answer(reply, async () => {
      const bucket = enumParam('bucket', query.bucket, BUCKETS, 'WEEK');
      const from = instantParam('from', query.from);
      const to = instantParam('to', query.to);
      allowed(await programTrendAccess(await this.caller(req), this.facts, id), `No program ${id}`);
      const view = this.readModels.getProgram(id);
      if (view === null) throw new ExportError(404, 'NOT_FOUND', `No program ${id}`);
      const program = { id: view.programId, launchedAt: view.launchedAt };
      const now = this.clock.now();
      // The same bounds as the trustTrend field: the CSV is no way around them.
      const range = withinLimits(() =>
        boundedTrendRange(bucket, { from: from ?? null, to: to ?? null }, view.launchedAt, now),
      );
      const rows = this.views.programTrend(program, { bucket, ...range }, now).map(trendRow);
      return { filename: `trend-${program.id}-${bucket.toLowerCase()}.csv`, columns: TREND_COLUMNS, rows };
    });
  }

  @Get('relationships/:id/trajectory.csv')
  trajectory(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    this.answer(reply, async () => {
      const direction = enumParam('direction', query.direction, DIRECTIONS, 'MENTEE_IN_MENTOR');
      const from = instantParam('from', query.from);
      const to = instantParam('to', query.to);
      allowed(await trajectoryAccess(await this.caller(req), this.facts, id, direction), `No relationship ${id}`);
      const relationship = this.readModels.getRelationship(id);
      if (relationship === null) throw new ExportError(404, 'NOT_FOUND', `No relationship ${id}`);
      const now = this.clock.now();
      withinLimits(() => assertInstantWindow('to', to, now));
      const [evidence] = await this.views.evidenceById([relationship.relationshipId], now);
      const rows = trustTrajectory(evidence, direction, { from, to }).map((point) =>
        trajectoryRow(relationship.relationshipId, direction, point),
      );
      return {
        filename: `trajectory-${relationship.relationshipId}-${direction.toLowerCase()}.csv`,
        columns: TRAJECTORY_COLUMNS,
        rows,
      };
    });
  }

  // The gate let only a valid token through; this is its caller, with its stored participant.
  private caller(req: FastifyRequest): Promise<Caller> {
    const authentication = authenticationOf(req);
    if (authentication.kind !== 'viewer')
      throw new ExportError(401, 'UNAUTHENTICATED', 'Sign in: send Authorization: Bearer <token>');
    return this.facts.caller(authentication.viewer);
  }

  // Streamed in chunks: a long export never builds one string of the whole body.
  private answer(
    reply: FastifyReply,
    build: () =>
      | { filename: string; columns: readonly string[]; rows: ExportRow[] }
      | Promise<{ filename: string; columns: readonly string[]; rows: ExportRow[] }>,
  ): void {
    void (async () => {
      try {
        const { filename, columns, rows } = await build();
        const chunks = function* () {
          yield csvHeader(columns);
          for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK)
            yield csvLines(rows.slice(i, i + ROWS_PER_CHUNK), columns);
        };
        await reply
          .code(200)
          .header('Content-Type', 'text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${filename}"`)
          .header('Cache-Control', 'no-store')
          .send(Readable.from(chunks(), { objectMode: false }));
      } catch (error) {
        const known = error instanceof ExportError ? error : new ExportError(500, 'INTERNAL', 'The export failed');
        if (reply.sent || reply.raw.headersSent) {
          reply.raw.destroy();
          return;
        }
        if (known.status === 401) reply.header('WWW-Authenticate', 'Bearer');
        await reply.code(known.status).send({ errors: [{ message: known.message, extensions: { code: known.code } }] });
      }
    })();
  }
}

/** A refusal is FORBIDDEN whether or not the target exists; an unknown one in the caller's scope is NOT_FOUND. */
function allowed<T>(
  verdict: ExportVerdict<T>,
  unknown: string,
): asserts verdict is Extract<ExportVerdict<T>, { outcome: 'allow' }> {
  if (verdict.outcome === 'forbidden') throw new ExportError(403, 'FORBIDDEN', verdict.reason);
  if (verdict.outcome === 'unknown') throw new ExportError(404, 'NOT_FOUND', unknown);
}
