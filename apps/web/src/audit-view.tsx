import { useState } from 'preact/hooks';
import { ApiError, query, request } from './api';
import { Problem } from './app';
import { DataTable } from './charts';
import { dateTime, DIRECTION_LABEL, eventName, score } from './format';
import { BandBadge } from './program-view';
import { AS_OF, HISTORY, VERIFY } from './queries';
import { type Meeting, MeetingsTable, type Promise_, PromisesTable } from './relationship-view';
import { href } from './route';
import { useLoad } from './use-query';
import type { Band } from './format';

interface AuditEvent {
  id: string;
  type: string;
  streamRevision: number;
  position: string;
  occurredAt: string;
  recordedAt: string;
  actor: string | null;
  correlationId: string | null;
  data: string;
  hash: string;
  previousHash: string | null;
}

interface History {
  relationshipHistory: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: AuditEvent }[];
  };
}

interface Report {
  verifyRelationshipHistory: {
    ok: boolean;
    eventsChecked: number;
    firstBrokenEventId: string | null;
    reason: string | null;
  };
}

interface Snapshot {
  relationshipAsOf: {
    relationshipId: string;
    at: string;
    knownAt: string | null;
    eventsApplied: number;
    status: string;
    trust: { score: number; band: Band; uncertainty: number; asOf: string };
    promises: Promise_[];
    meetings: Meeting[];
  } | null;
}

const short = (hash: string | null) => (hash ? `${hash.slice(0, 12)}…` : '—');
/** `datetime-local` has no zone: the auditor's inputs are read as UTC, as every instant on screen is shown. */
const fromLocal = (value: string) => (value ? new Date(`${value}:00.000Z`).toISOString() : null);

export function AuditView(props: { id: string }) {
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const history = useLoad(async () => {
    const all: AuditEvent[] = [];
    let last: History['relationshipHistory'] | null = null;
    for (const after of pages) {
      last = (await query<History>(HISTORY, { id: props.id, after })).relationshipHistory;
      all.push(...last.edges.map((edge) => edge.node));
    }
    return {
      events: all,
      totalCount: last?.totalCount ?? 0,
      next: last?.pageInfo.hasNextPage ? last.pageInfo.endCursor : null,
    };
  }, [props.id, pages]);
  return (
    <section aria-labelledby="audit-title" class="audit-view">
      <p class="crumbs">
        <a href={href({ view: 'relationship', id: props.id })}>Relationship</a> ›
      </p>
      <h1 id="audit-title">Audit history</h1>
      <Verify id={props.id} />
      <AsOf id={props.id} />
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">Stored events{history.data && ` (${history.data.totalCount})`}</h2>
        <p class="muted">
          Each event's hash covers its content and the previous event's hash: a changed or removed event breaks the
          chain.
        </p>
        {history.error && <Problem error={history.error} />}
        {history.data && (
          <>
            <div class="table-scroll">
              <DataTable
                caption="The relationship's stored events, oldest first"
                rows={history.data.events}
                rowKey={(e) => e.id}
                columns={[
                  { label: 'Revision', value: (e) => e.streamRevision },
                  { label: 'Event', value: (e) => eventName(e.type) },
                  { label: 'Occurred', value: (e) => dateTime(e.occurredAt) },
                  { label: 'Recorded', value: (e) => dateTime(e.recordedAt) },
                  { label: 'Actor', value: (e) => e.actor ?? '—' },
                  { label: 'Hash', value: (e) => <code title={e.hash}>{short(e.hash)}</code> },
                  {
                    label: 'Previous hash',
                    value: (e) => <code title={e.previousHash ?? ''}>{short(e.previousHash)}</code>,
                  },
                  {
                    label: 'Data',
                    value: (e) => (
                      <details>
                        <summary>Show</summary>
                        <pre>{JSON.stringify(JSON.parse(e.data), null, 2)}</pre>
                      </details>
                    ),
                  },
                ]}
              />
            </div>
            {history.data.next && (
              <button type="button" onClick={() => setPages([...pages, history.data!.next])}>
                Load more events
              </button>
            )}
          </>
        )}
      </section>
    </section>
  );
}

function Verify(props: { id: string }) {
  const [state, setState] = useState<{ busy: boolean; report?: Report['verifyRelationshipHistory']; error?: ApiError }>(
    { busy: false },
  );
  const run = async () => {
    setState({ busy: true });
    try {
      setState({ busy: false, report: (await query<Report>(VERIFY, { id: props.id })).verifyRelationshipHistory });
    } catch (error) {
      setState({ busy: false, error: error as ApiError });
    }
  };
  const report = state.report;
  return (
    <section class="card" aria-labelledby="verify-title">
      <h2 id="verify-title">Integrity</h2>
      <button type="button" onClick={run} disabled={state.busy}>
        {state.busy ? 'Verifying…' : 'Verify the hash chain'}
      </button>
      <div role="status" aria-live="polite" class="report">
        {state.error && <Problem error={state.error} />}
        {report && (
          <p class={report.ok ? 'ok' : 'problem'}>
            {report.ok ? '✓ Intact' : '✗ Broken'}: {report.eventsChecked} events checked
            {report.firstBrokenEventId && `; first broken event ${report.firstBrokenEventId}`}
            {report.reason && ` (${report.reason})`}.
          </p>
        )}
      </div>
    </section>
  );
}

function AsOf(props: { id: string }) {
  const [at, setAt] = useState('');
  const [knownAt, setKnownAt] = useState('');
  const [result, setResult] = useState<{
    snapshots: { direction: string; snapshot: Snapshot['relationshipAsOf']; refused?: string }[];
    error?: ApiError;
  } | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const snapshots = await Promise.all(
        ['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'].map(async (direction) => {
          const answer = await request<Snapshot>(AS_OF, {
            id: props.id,
            at: fromLocal(at),
            knownAt: fromLocal(knownAt),
            direction,
          });
          return { direction, snapshot: answer.data?.relationshipAsOf ?? null, refused: answer.errors[0]?.code };
        }),
      );
      setResult({ snapshots });
    } catch (error) {
      setResult({ snapshots: [], error: error as ApiError });
    }
  };
  const first = result?.snapshots.find((s) => s.snapshot)?.snapshot;
  return (
    <section class="card" aria-labelledby="as-of-title">
      <h2 id="as-of-title">As of an instant</h2>
      <p class="muted">
        Rebuilds the relationship from its own events that took effect by <em>at</em>; with <em>known at</em>, only from
        those recorded by then (what could have been known). Times are UTC.
      </p>
      <form onSubmit={submit} class="controls">
        <label>
          At{' '}
          <input
            type="datetime-local"
            required
            value={at}
            onInput={(e) => setAt((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Known at{' '}
          <input
            type="datetime-local"
            value={knownAt}
            onInput={(e) => setKnownAt((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Show snapshot</button>
      </form>
      <div aria-live="polite" class="snapshot">
        {result?.error && <Problem error={result.error} />}
        {result && !result.error && !first && <p>Nothing was known about this relationship then.</p>}
        {first && (
          <>
            <p>
              At {dateTime(first.at)}
              {first.knownAt && <> as known at {dateTime(first.knownAt)}</>}: {first.status.toLowerCase()},{' '}
              {first.eventsApplied} events applied.
            </p>
            <ul>
              {result!.snapshots.map((s) => (
                <li key={s.direction}>
                  {DIRECTION_LABEL[s.direction]}:{' '}
                  {s.snapshot ? (
                    <>
                      {score(s.snapshot.trust.score)} <BandBadge band={s.snapshot.trust.band} />
                    </>
                  ) : (
                    <span class="muted">not visible to you</span>
                  )}
                </li>
              ))}
            </ul>
            <h3>Promises then</h3>
            <PromisesTable promises={first.promises} />
            <h3>Meetings then</h3>
            <MeetingsTable meetings={first.meetings} />
          </>
        )}
      </div>
    </section>
  );
}
