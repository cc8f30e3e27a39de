import * as Plot from '@observablehq/plot';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { query, request, subscribe } from './api';
import { Problem } from './app';
import { DataTable, Figure, PlotChart } from './charts';
import {
  BAND_COLOR,
  BAND_LABEL,
  BANDS,
  type Band,
  date,
  dateTime,
  days,
  decimal,
  DIRECTION_LABEL,
  eventName,
  percent,
  score,
  signed,
} from './format';
import { AT_RISK, PROGRAM, PROGRAM_RELATIONSHIPS, PROGRAM_TRUST_CHANGED } from './queries';
import { href } from './route';
import { useLoad } from './use-query';

interface TrendPoint {
  start: string;
  end: string;
  activeRelationships: number;
  medianScore: number | null;
  p25Score: number | null;
  p75Score: number | null;
  bands: { tooEarly: number; high: number; steady: number; fragile: number; atRisk: number };
  promisesKeptRate: number | null;
  cancellationRate: number | null;
  noShowRate: number | null;
  medianGapDays: number | null;
  organizationTrust: number | null;
  communications: number;
}

interface ProgramData {
  program: {
    id: string;
    name: string;
    cadenceDays: number;
    sessionMinutes: number;
    launchedAt: string;
    trustTrend: TrendPoint[];
  } | null;
}

interface AtRiskRelationship {
  id: string;
  status: string;
  mentor: { displayName: string };
  mentee: { displayName: string };
  trust: { score: number; band: Band; uncertainty: number };
  cadence: {
    agreedDays: number;
    currentGapDays: number | null;
    medianGapDays: number | null;
    needsCheckIn: boolean;
    inactive: boolean;
  };
}

interface RelationshipRow {
  id: string;
  status: string;
  startedAt: string;
  mentor: { displayName: string };
  mentee: { displayName: string };
  trust: { score: number; band: Band };
}

interface LiveChange {
  programTrustChanged: {
    relationshipId: string;
    direction: string;
    point: { at: string; score: number; band: Band; delta: number; cause: { type: string } | null };
  };
}

const BAND_KEYS: Record<Band, keyof TrendPoint['bands']> = {
  HIGH: 'high',
  STEADY: 'steady',
  FRAGILE: 'fragile',
  AT_RISK: 'atRisk',
  TOO_EARLY: 'tooEarly',
};

/** Why a relationship is on the at-risk list (the contract's three reasons, in its words). */
export function reasonListed(relationship: AtRiskRelationship): string {
  const reasons: string[] = [];
  if (relationship.trust.band === 'AT_RISK') reasons.push('trust is at risk');
  if (relationship.trust.band === 'FRAGILE') reasons.push('trust is fragile');
  if (relationship.cadence.inactive) reasons.push('no meeting for a long time');
  else if (relationship.cadence.needsCheckIn) {
    reasons.push(
      `check-in due: ${days(relationship.cadence.currentGapDays)} since the last meeting, ${relationship.cadence.agreedDays} d agreed`,
    );
  }
  const text = reasons.join('; ');
  return text ? text[0].toUpperCase() + text.slice(1) : 'Needs attention';
}

const toInstant = (day: string, endOfDay: boolean) =>
  day ? `${day}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : null;

export function ProgramView(props: { id: string }) {
  const [bucket, setBucket] = useState<'WEEK' | 'MONTH'>('WEEK');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const program = useLoad(
    () => query<ProgramData>(PROGRAM, { id: props.id, bucket, from: toInstant(from, false), to: toInstant(to, true) }),
    [props.id, bucket, from, to],
  );
  const atRisk = useLoad(
    () => query<{ program: { atRisk: AtRiskRelationship[] } | null }>(AT_RISK, { id: props.id }),
    [props.id],
  );
  const relationships = useLoad(
    () =>
      request<{ program: { relationships: { totalCount: number; edges: { node: RelationshipRow }[] } } | null }>(
        PROGRAM_RELATIONSHIPS,
        { id: props.id },
      ),
    [props.id],
  );
  const live = useLive(props.id, () => {
    program.reload();
    atRisk.reload();
    relationships.reload();
  });

  if (program.error) return <Problem error={program.error} />;
  const data = program.data?.program;
  if (program.data && !data) return <p role="alert">No such program.</p>;
  return (
    <section aria-labelledby="program-title" class="program-view">
      <h1 id="program-title">{data?.name ?? 'Program'}</h1>
      {data && (
        <p class="muted">
          Launched {date(data.launchedAt)} · meetings every {data.cadenceDays} days agreed · {data.sessionMinutes} min
          sessions
        </p>
      )}
      <LiveStatus live={live} />
      <form class="controls card" onSubmit={(e) => e.preventDefault()} aria-label="Trend range">
        <label>
          Bucket{' '}
          <select value={bucket} onChange={(e) => setBucket((e.target as HTMLSelectElement).value as 'WEEK' | 'MONTH')}>
            <option value="WEEK">Week</option>
            <option value="MONTH">Month</option>
          </select>
        </label>
        <label>
          From <input type="date" value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          To <input type="date" value={to} onChange={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        {(from || to) && (
          <button type="button" onClick={() => (setFrom(''), setTo(''))}>
            Whole program
          </button>
        )}
      </form>
      {program.loading && !data && <p aria-busy="true">Loading…</p>}
      {data && <TrendCharts trend={data.trustTrend} />}
      <section class="card" aria-labelledby="at-risk-title">
        <h2 id="at-risk-title">Needs attention</h2>
        <p class="muted">Relationships at risk or fragile, or due a check-in; worst first.</p>
        {atRisk.error && <Problem error={atRisk.error} />}
        {atRisk.data?.program && <AtRiskList relationships={atRisk.data.program.atRisk} />}
      </section>
      <section class="card" aria-labelledby="relationships-title">
        <h2 id="relationships-title">Relationships</h2>
        {relationships.error && <Problem error={relationships.error} />}
        {relationships.data?.data?.program && (
          <DataTable
            caption="The program's relationships"
            rows={relationships.data.data.program.relationships.edges.map((edge) => edge.node)}
            rowKey={(r) => r.id}
            columns={[
              {
                label: 'Mentor and mentee',
                value: (r) => (
                  <a href={href({ view: 'relationship', id: r.id })}>
                    {r.mentor.displayName} & {r.mentee.displayName}
                  </a>
                ),
              },
              { label: 'Status', value: (r) => r.status.toLowerCase() },
              { label: 'Started', value: (r) => date(r.startedAt) },
              { label: 'Band', value: (r) => <BandBadge band={r.trust.band} /> },
              { label: 'Score', value: (r) => score(r.trust.score), numeric: true },
              { label: 'History', value: (r) => <a href={href({ view: 'audit', id: r.id })}>Audit</a> },
            ]}
          />
        )}
      </section>
    </section>
  );
}

export function BandBadge(props: { band: Band }) {
  return (
    <span class={`band band-${props.band.toLowerCase()}`}>
      <span aria-hidden="true" class="swatch" style={{ background: BAND_COLOR[props.band] }} />
      {BAND_LABEL[props.band]}
    </span>
  );
}

function AtRiskList(props: { relationships: AtRiskRelationship[] }) {
  if (props.relationships.length === 0) return <p>No relationship needs attention now.</p>;
  return (
    <ol class="at-risk" aria-label="Relationships needing attention, worst first">
      {props.relationships.map((r) => (
        <li key={r.id}>
          <a href={href({ view: 'relationship', id: r.id })}>
            {r.mentor.displayName} & {r.mentee.displayName}
          </a>
          <BandBadge band={r.trust.band} />
          <span class="figure-pair">
            Score <strong>{score(r.trust.score)}</strong>
          </span>
          <span class="figure-pair">
            Gap <strong>{days(r.cadence.currentGapDays)}</strong> / {r.cadence.agreedDays} d agreed
          </span>
          <span class="reason">{reasonListed(r)}</span>
        </li>
      ))}
    </ol>
  );
}

function TrendCharts(props: { trend: TrendPoint[] }) {
  const trend = props.trend;
  const points = useMemo(() => trend.map((p) => ({ ...p, at: new Date(p.end) })), [trend]);
  const bandRows = useMemo(
    () => points.flatMap((p) => BANDS.map((band) => ({ at: p.at, band, count: p.bands[BAND_KEYS[band]] }))),
    [points],
  );
  const rateRows = useMemo(
    () =>
      points.flatMap((p) => [
        { at: p.at, rate: 'Promises kept', value: p.promisesKeptRate },
        { at: p.at, rate: 'Cancellations', value: p.cancellationRate },
        { at: p.at, rate: 'No-shows', value: p.noShowRate },
      ]),
    [points],
  );
  const last = trend.at(-1);
  const bucketColumn = { label: 'Bucket ending', value: (p: TrendPoint) => date(p.end) };
  return (
    <div class="grid">
      <Figure
        id="trend"
        title="Trust over time"
        summary={
          last
            ? `Median ${score(last.medianScore)} (middle half ${score(last.p25Score)}–${score(last.p75Score)}) over ${last.activeRelationships} active relationships.`
            : 'No buckets in this range.'
        }
        table={
          <DataTable
            caption="Trust over time"
            rows={trend}
            rowKey={(p) => p.end}
            columns={[
              bucketColumn,
              { label: 'Active', value: (p) => p.activeRelationships, numeric: true },
              { label: 'p25', value: (p) => score(p.p25Score), numeric: true },
              { label: 'Median', value: (p) => score(p.medianScore), numeric: true },
              { label: 'p75', value: (p) => score(p.p75Score), numeric: true },
            ]}
          />
        }
      >
        <PlotChart
          label="Median trust score with the p25 to p75 band, per bucket"
          description="Line: median score 0 to 100; shaded area: the middle half of relationships."
          dependencies={[points]}
          options={() => ({
            height: 240,
            x: { type: 'utc', label: null },
            y: { domain: [0, 100], grid: true, label: 'Score' },
            marks: [
              Plot.areaY(points, {
                x: 'at',
                y1: 'p25Score',
                y2: 'p75Score',
                fill: '#4575b4',
                fillOpacity: 0.2,
                curve: 'monotone-x',
              }),
              Plot.lineY(points, { x: 'at', y: 'medianScore', stroke: '#313695', strokeWidth: 2, curve: 'monotone-x' }),
              Plot.dot(points, { x: 'at', y: 'medianScore', fill: '#313695', r: 2.5 }),
              Plot.tip(
                points,
                Plot.pointerX({
                  x: 'at',
                  y: 'medianScore',
                  title: (p: TrendPoint) =>
                    `${date(p.end)}\nmedian ${score(p.medianScore)}\np25–p75 ${score(p.p25Score)}–${score(p.p75Score)}`,
                }),
              ),
            ],
          })}
        />
      </Figure>
      <Figure
        id="bands"
        title="Relationships by band"
        summary={
          last ? BANDS.map((band) => `${BAND_LABEL[band]} ${last.bands[BAND_KEYS[band]]}`).join(' · ') : undefined
        }
        table={
          <DataTable
            caption="Relationships by band"
            rows={trend}
            rowKey={(p) => p.end}
            columns={[
              bucketColumn,
              ...BANDS.map((band) => ({
                label: BAND_LABEL[band],
                value: (p: TrendPoint) => p.bands[BAND_KEYS[band]],
                numeric: true,
              })),
            ]}
          />
        }
      >
        <PlotChart
          label="Number of relationships in each trust band, stacked, per bucket"
          description="Stacked areas from high at the bottom to too early at the top."
          dependencies={[bandRows]}
          options={() => ({
            height: 240,
            x: { type: 'utc', label: null },
            y: { grid: true, label: 'Relationships' },
            color: {
              domain: [...BANDS],
              range: BANDS.map((b) => BAND_COLOR[b]),
              legend: true,
              tickFormat: (b: Band) => BAND_LABEL[b],
            },
            marks: [
              Plot.areaY(bandRows, { x: 'at', y: 'count', fill: 'band', order: [...BANDS], curve: 'step' }),
              Plot.ruleY([0]),
            ],
          })}
        />
      </Figure>
      <Figure
        id="rates"
        title="Promises, cancellations and no-shows"
        summary={
          last
            ? `Kept ${percent(last.promisesKeptRate)} · cancelled ${percent(last.cancellationRate)} · no-shows ${percent(last.noShowRate)} in the last bucket.`
            : undefined
        }
        table={
          <DataTable
            caption="Rates per bucket"
            rows={trend}
            rowKey={(p) => p.end}
            columns={[
              bucketColumn,
              { label: 'Promises kept', value: (p) => percent(p.promisesKeptRate), numeric: true },
              { label: 'Cancellations', value: (p) => percent(p.cancellationRate), numeric: true },
              { label: 'No-shows', value: (p) => percent(p.noShowRate), numeric: true },
              { label: 'Median gap', value: (p) => days(p.medianGapDays), numeric: true },
            ]}
          />
        }
      >
        <PlotChart
          label="Promise-kept, cancellation and no-show rates per bucket"
          description="Three lines, each a share from 0 to 100 percent."
          dependencies={[rateRows]}
          options={() => ({
            height: 220,
            x: { type: 'utc', label: null },
            y: { domain: [0, 100], grid: true, percent: true, label: 'Rate (%)' },
            color: {
              domain: ['Promises kept', 'Cancellations', 'No-shows'],
              range: ['#1b7837', '#f1a340', '#b2182b'],
              legend: true,
            },
            marks: [
              Plot.lineY(rateRows, { x: 'at', y: 'value', stroke: 'rate', strokeWidth: 2 }),
              Plot.dot(rateRows, { x: 'at', y: 'value', fill: 'rate', symbol: 'rate', r: 3 }),
            ],
            symbol: { legend: false },
          })}
        />
      </Figure>
      <Figure
        id="organisation"
        title="Organisational trust and communications"
        summary={
          last
            ? `Organisation rated ${decimal(last.organizationTrust, 1)} of 5 · ${last.communications} communications in the last bucket.`
            : undefined
        }
        table={
          <DataTable
            caption="Organisational trust and communications per bucket"
            rows={trend}
            rowKey={(p) => p.end}
            columns={[
              bucketColumn,
              { label: 'Organisation (1–5)', value: (p) => decimal(p.organizationTrust, 1), numeric: true },
              { label: 'Communications', value: (p) => p.communications, numeric: true },
            ]}
          />
        }
      >
        <PlotChart
          label="Communications sent per bucket (bars) and the mean organisation rating from check-ins (line, 1 to 5)"
          description="Bars count the program's communications; the line is the mean organisation answer, scaled to the right axis."
          dependencies={[points]}
          options={() => {
            const most = Math.max(1, ...points.map((p) => p.communications));
            const scale = most / 5;
            return {
              height: 200,
              x: { type: 'utc', label: null },
              y: { grid: true, label: 'Communications', domain: [0, most] },
              marks: [
                Plot.rectY(points, {
                  x1: (p: TrendPoint) => new Date(p.start),
                  x2: 'at',
                  y: 'communications',
                  fill: '#9ecae1',
                  inset: 1,
                }),
                Plot.lineY(points, {
                  x: 'at',
                  y: (p: TrendPoint) => (p.organizationTrust === null ? null : p.organizationTrust * scale),
                  stroke: '#08519c',
                  strokeWidth: 2,
                }),
                Plot.dot(points, {
                  x: 'at',
                  y: (p: TrendPoint) => (p.organizationTrust === null ? null : p.organizationTrust * scale),
                  fill: '#08519c',
                  r: 2.5,
                }),
                Plot.axisY(
                  [1, 2, 3, 4, 5].map((v) => v * scale),
                  { anchor: 'right', label: 'Organisation (1–5)', tickFormat: (v: number) => (v / scale).toFixed(0) },
                ),
              ],
            };
          }}
        />
      </Figure>
    </div>
  );
}

interface Live {
  state: 'connecting' | 'live' | 'lost';
  changes: (LiveChange['programTrustChanged'] & { received: string })[];
}

/** programTrustChanged over graphql-ws; each change reloads the figures (at most once a second). */
function useLive(programId: string, onChange: () => void): Live {
  const [live, setLive] = useState<Live>({ state: 'connecting', changes: [] });
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    setLive({ state: 'live', changes: [] });
    const stop = subscribe<LiveChange>(
      PROGRAM_TRUST_CHANGED,
      { id: programId },
      {
        next: (data) => {
          setLive((previous) => ({
            state: 'live',
            changes: [{ ...data.programTrustChanged, received: new Date().toISOString() }, ...previous.changes].slice(
              0,
              5,
            ),
          }));
          if (timer === null) {
            timer = setTimeout(() => {
              timer = null;
              callback.current();
            }, 1000);
          }
        },
        error: () => setLive((previous) => ({ ...previous, state: 'lost' })),
      },
    );
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [programId]);
  return live;
}

function LiveStatus(props: { live: Live }) {
  const { state, changes } = props.live;
  return (
    <section class="live card" aria-labelledby="live-title">
      <h2 id="live-title" class="small">
        Live updates <span class={`dot dot-${state}`} aria-hidden="true" />{' '}
        <span class="muted">{state === 'lost' ? 'disconnected' : 'on'}</span>
      </h2>
      <ul role="status" aria-live="polite" class="live-changes">
        {changes.length === 0 && <li class="muted">Waiting for new trust changes…</li>}
        {changes.map((change) => (
          <li key={`${change.relationshipId}-${change.direction}-${change.point.at}-${change.received}`}>
            {dateTime(change.point.at)}:{' '}
            <a href={href({ view: 'relationship', id: change.relationshipId })}>a relationship</a>,{' '}
            {DIRECTION_LABEL[change.direction]?.toLowerCase()} now {score(change.point.score)} (
            {signed(change.point.delta)}), <BandBadge band={change.point.band} />
            {change.point.cause && <> after {eventName(change.point.cause.type).toLowerCase()}</>}
          </li>
        ))}
      </ul>
    </section>
  );
}
