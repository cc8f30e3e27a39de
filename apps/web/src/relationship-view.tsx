import * as Plot from '@observablehq/plot';
import { useMemo, useRef, useState } from 'preact/hooks';
import { type ApiError, query, request } from './api';
import { Problem } from './app';
import { DataTable, Figure, PlotChart } from './charts';
import {
  BAND_COLOR,
  BAND_LABEL,
  BAND_RANGES,
  type Band,
  date,
  dateTime,
  days,
  DIRECTION_LABEL,
  eventName,
  ruleName,
  score,
  signed,
} from './format';
import { BandBadge } from './program-view';
import { RELATIONSHIP, TRAJECTORY } from './queries';
import { href } from './route';
import { useLoad } from './use-query';

export interface Promise_ {
  id: string;
  promisor: string;
  description: string | null;
  dueAt: string;
  status: string;
  keptAt: string | null;
  overdue: boolean;
}

export interface Meeting {
  id: string;
  startsAt: string;
  durationMinutes: number;
  mode: string;
  status: string;
  scheduledBy: string;
  cancelledBy: string | null;
  noticeHours: number | null;
}

interface RelationshipData {
  relationship: {
    id: string;
    status: string;
    startedAt: string;
    endedAt: string | null;
    endReason: string | null;
    cadenceDays: number;
    motiveReviewRecommended: boolean;
    program: { id: string; name: string };
    mentor: { displayName: string };
    mentee: { displayName: string };
    cadence: {
      agreedDays: number;
      meetingsHeld: number;
      medianGapDays: number | null;
      currentGapDays: number | null;
      score: number;
      needsCheckIn: boolean;
      inactive: boolean;
    };
    promises: Promise_[];
    meetings: Meeting[];
  } | null;
}

interface Point {
  direction: string;
  at: string;
  score: number;
  integrity: number;
  benevolence: number;
  ability: number;
  uncertainty: number;
  band: Band;
  delta: number;
  cause: {
    id: string;
    type: string;
    position: string;
    streamRevision: number;
    occurredAt: string;
    recordedAt: string;
  } | null;
  contributions: { rule: string; component: string; positive: number; negative: number }[];
}

interface TrajectoryData {
  relationship: {
    trust: { score: number; band: Band; uncertainty: number; asOf: string };
    trustTrajectory: Point[];
  } | null;
}

const DIRECTIONS = ['MENTEE_IN_MENTOR', 'MENTOR_IN_MENTEE'] as const;
const DIRECTION_COLOR: Record<string, string> = { MENTEE_IN_MENTOR: '#313695', MENTOR_IN_MENTEE: '#8c510a' };

/** Each direction on its own: a participant may see only the trust it places; the other is said to be hidden. */
function useTrajectory(id: string, direction: string) {
  return useLoad(async () => {
    const answer = await request<TrajectoryData>(TRAJECTORY, { id, direction });
    return { data: answer.data?.relationship ?? null, refused: answer.errors[0] ?? null };
  }, [id, direction]);
}

export function RelationshipView(props: { id: string }) {
  const relationship = useLoad(() => query<RelationshipData>(RELATIONSHIP, { id: props.id }), [props.id]);
  const menteeInMentor = useTrajectory(props.id, 'MENTEE_IN_MENTOR');
  const mentorInMentee = useTrajectory(props.id, 'MENTOR_IN_MENTEE');
  if (relationship.error) return <Problem error={relationship.error} />;
  const r = relationship.data?.relationship;
  if (relationship.loading && !r) return <p aria-busy="true">Loading…</p>;
  if (!r) return <p role="alert">No such relationship.</p>;
  const trajectories = [
    { direction: 'MENTEE_IN_MENTOR', loaded: menteeInMentor },
    { direction: 'MENTOR_IN_MENTEE', loaded: mentorInMentee },
  ];
  const visible = trajectories.flatMap((t) =>
    t.loaded.data?.data ? [{ direction: t.direction, ...t.loaded.data.data }] : [],
  );
  return (
    <section aria-labelledby="relationship-title" class="relationship-view">
      <p class="crumbs">
        <a href={href({ view: 'program', id: r.program.id })}>{r.program.name}</a> ›
      </p>
      <h1 id="relationship-title">
        {r.mentor.displayName} (mentor) & {r.mentee.displayName} (mentee)
      </h1>
      <p class="muted">
        {r.status.toLowerCase()} since {date(r.startedAt)}
        {r.endedAt && ` · ended ${date(r.endedAt)} (${r.endReason?.toLowerCase().replace(/_/g, ' ')})`} · meet every{' '}
        {r.cadenceDays} days
        {r.motiveReviewRecommended && ' · motive review recommended'} ·{' '}
        <a href={href({ view: 'audit', id: r.id })}>audit history</a>
      </p>
      <div class="scores">
        {trajectories.map((t) => (
          <div class="card score-card" key={t.direction}>
            <h2 class="small">{DIRECTION_LABEL[t.direction]}</h2>
            {t.loaded.data?.data ? (
              <p>
                <strong class="big">{score(t.loaded.data.data.trust.score)}</strong>{' '}
                <BandBadge band={t.loaded.data.data.trust.band} />
                <span class="muted"> uncertainty {Math.round(t.loaded.data.data.trust.uncertainty * 100)} %</span>
              </p>
            ) : t.loaded.data?.refused ? (
              <p class="muted">Not visible to you ({t.loaded.data.refused.code.toLowerCase()}).</p>
            ) : t.loaded.error ? (
              <Problem error={t.loaded.error as ApiError} />
            ) : (
              <p aria-busy="true">Loading…</p>
            )}
          </div>
        ))}
      </div>
      {visible.length > 0 && <Trajectory series={visible} />}
      <Cadence cadence={r.cadence} meetings={r.meetings} />
      <div class="grid">
        <section class="card" aria-labelledby="promises-title">
          <h2 id="promises-title">Promises</h2>
          <PromisesTable promises={r.promises} />
        </section>
        <section class="card" aria-labelledby="meetings-title">
          <h2 id="meetings-title">Meetings</h2>
          <MeetingsTable meetings={r.meetings} />
        </section>
      </div>
    </section>
  );
}

export function PromisesTable(props: { promises: Promise_[] }) {
  return (
    <DataTable
      caption="Promises"
      rows={props.promises}
      rowKey={(p) => p.id}
      empty="No promises."
      columns={[
        // Private content: the API returns null where the caller may not read it; nothing is shown then.
        {
          label: 'Promise',
          value: (p) => (p.description === null ? <span class="muted">(private)</span> : p.description),
        },
        { label: 'By', value: (p) => p.promisor.toLowerCase() },
        { label: 'Due', value: (p) => date(p.dueAt) },
        { label: 'Status', value: (p) => `${p.status.toLowerCase()}${p.overdue ? ', overdue' : ''}` },
        { label: 'Kept', value: (p) => date(p.keptAt) },
      ]}
    />
  );
}

export function MeetingsTable(props: { meetings: Meeting[] }) {
  return (
    <DataTable
      caption="Meetings"
      rows={props.meetings}
      rowKey={(m) => m.id}
      empty="No meetings."
      columns={[
        { label: 'Starts', value: (m) => dateTime(m.startsAt) },
        { label: 'Status', value: (m) => m.status.toLowerCase() },
        { label: 'Mode', value: (m) => m.mode.toLowerCase().replace('_', ' ') },
        { label: 'Minutes', value: (m) => m.durationMinutes, numeric: true },
        { label: 'Scheduled by', value: (m) => m.scheduledBy.toLowerCase() },
        {
          label: 'Cancelled',
          value: (m) =>
            m.cancelledBy ? `by ${m.cancelledBy.toLowerCase()}, ${m.noticeHours?.toFixed(0)} h notice` : '—',
        },
      ]}
    />
  );
}

interface Series {
  direction: string;
  trustTrajectory: Point[];
}

/** Both directions over time; each point's cause and rule contributions show on hover, or on focus with the arrow keys. */
function Trajectory(props: { series: Series[] }) {
  const points = useMemo(
    () =>
      props.series
        .flatMap((s) => s.trustTrajectory.map((p) => ({ ...p, time: new Date(p.at) })))
        .sort((a, b) => a.time.getTime() - b.time.getTime() || a.direction.localeCompare(b.direction)),
    [props.series],
  );
  const [selected, setSelected] = useState<number | null>(null);
  const scaleRef = useRef<{ invert: (x: number) => Date; width: number } | null>(null);
  const current = selected === null ? null : points[Math.min(selected, points.length - 1)];
  const move = (event: KeyboardEvent) => {
    const last = points.length - 1;
    const next: Record<string, number> = {
      ArrowRight: Math.min(last, (selected ?? -1) + 1),
      ArrowLeft: Math.max(0, (selected ?? 1) - 1),
      Home: 0,
      End: last,
    };
    if (event.key in next) {
      event.preventDefault();
      setSelected(next[event.key]);
    } else if (event.key === 'Escape') setSelected(null);
  };
  const hover = (event: PointerEvent) => {
    const scale = scaleRef.current;
    const svg = (event.currentTarget as HTMLElement).querySelector('svg');
    if (!scale || !svg || points.length === 0) return;
    const box = svg.getBoundingClientRect();
    const at = scale.invert(((event.clientX - box.left) * scale.width) / box.width).getTime();
    let best = 0;
    for (let i = 1; i < points.length; i++) {
      if (Math.abs(points[i].time.getTime() - at) < Math.abs(points[best].time.getTime() - at)) best = i;
    }
    setSelected(best);
  };
  const bands = BAND_RANGES.map((range) => ({ ...range, label: BAND_LABEL[range.band] }));
  return (
    <Figure
      id="trajectory"
      title="Trust trajectory"
      summary="One point per event that changed the evidence. Point at the chart, or focus it and use the arrow keys, to see a point's cause and the rules behind it."
      table={
        <DataTable
          caption="Trust trajectory points"
          rows={points}
          rowKey={(p, i) => `${p.direction}-${i}`}
          columns={[
            { label: 'When', value: (p) => dateTime(p.at) },
            { label: 'Direction', value: (p) => DIRECTION_LABEL[p.direction] },
            { label: 'Score', value: (p) => score(p.score), numeric: true },
            { label: 'Change', value: (p) => signed(p.delta), numeric: true },
            { label: 'Band', value: (p) => BAND_LABEL[p.band] },
            { label: 'Cause', value: (p) => (p.cause ? eventName(p.cause.type) : 'time-triggered rule') },
            { label: 'Rules', value: (p) => p.contributions.map((c) => ruleName(c.rule)).join(', ') || '—' },
          ]}
        />
      }
    >
      <div
        class="explorable"
        tabIndex={0}
        role="group"
        aria-label="Trust trajectory chart: arrow keys move between points, Home and End jump to the first and last"
        aria-describedby="trajectory-point"
        onKeyDown={move}
        onPointerMove={hover}
        onPointerLeave={() => undefined}
      >
        <PlotChart
          label="Trust score over time in each direction, with the score ranges of the bands shaded"
          description="Two lines from 0 to 100, one per direction; shaded stripes mark high, steady, fragile and at-risk scores."
          dependencies={[points, current]}
          onPlot={(plot, width) => {
            const x = plot.scale('x');
            scaleRef.current = x && x.invert ? { invert: (v: number) => x.invert!(v) as Date, width } : null;
          }}
          options={() => ({
            height: 280,
            x: { type: 'utc', label: null },
            y: { domain: [0, 100], grid: false, label: 'Score' },
            color: {
              domain: [...DIRECTIONS],
              range: DIRECTIONS.map((d) => DIRECTION_COLOR[d]),
              legend: true,
              tickFormat: (d: string) => DIRECTION_LABEL[d],
            },
            marks: [
              Plot.rectY(bands, {
                y1: 'from',
                y2: 'to',
                fill: (b: { band: Band }) => BAND_COLOR[b.band],
                fillOpacity: 0.12,
              }),
              Plot.text(bands, {
                y: (b: { from: number; to: number }) => (b.from + b.to) / 2,
                text: 'label',
                frameAnchor: 'left',
                dx: 4,
                fill: '#555',
                fontSize: 10,
              }),
              Plot.lineY(points, { x: 'time', y: 'score', stroke: 'direction', strokeWidth: 2, curve: 'step-after' }),
              Plot.dot(points, { x: 'time', y: 'score', fill: 'direction', r: 3 }),
              ...(current
                ? [
                    Plot.ruleX([current.time], { stroke: '#000', strokeDasharray: '3 3' }),
                    Plot.dot([current], { x: 'time', y: 'score', r: 7, stroke: '#000', strokeWidth: 2, fill: 'none' }),
                  ]
                : []),
            ],
          })}
        />
      </div>
      <div id="trajectory-point" class="point-detail" aria-live="polite">
        {current ? <PointDetail point={current} /> : <p class="muted">No point selected.</p>}
      </div>
    </Figure>
  );
}

function PointDetail(props: { point: Point }) {
  const p = props.point;
  return (
    <div>
      <p>
        <strong>{dateTime(p.at)}</strong> · {DIRECTION_LABEL[p.direction]} · score {score(p.score)} ({signed(p.delta)})
        · <BandBadge band={p.band} />
      </p>
      <p>
        Cause:{' '}
        {p.cause ? (
          <>
            <strong>{eventName(p.cause.type)}</strong> (event {p.cause.id.slice(0, 8)}…, revision{' '}
            {p.cause.streamRevision}, occurred {dateTime(p.cause.occurredAt)})
          </>
        ) : (
          'a time-triggered rule (an overdue promise or a cadence gap)'
        )}
      </p>
      <DataTable
        caption="Rule contributions of this point"
        rows={p.contributions}
        rowKey={(c, i) => `${c.rule}-${c.component}-${i}`}
        empty="No rule contributed evidence."
        columns={[
          { label: 'Rule', value: (c) => ruleName(c.rule) },
          { label: 'Component', value: (c) => c.component.toLowerCase() },
          { label: 'Positive', value: (c) => c.positive.toFixed(2), numeric: true },
          { label: 'Negative', value: (c) => c.negative.toFixed(2), numeric: true },
        ]}
      />
    </div>
  );
}

/** Gaps between held meetings against the agreed days; the current gap runs to now. */
function Cadence(props: { cadence: NonNullable<RelationshipData['relationship']>['cadence']; meetings: Meeting[] }) {
  const gaps = useMemo(() => {
    const held = props.meetings
      .filter((m) => m.status === 'HELD')
      .map((m) => new Date(m.startsAt))
      .sort((a, b) => a.getTime() - b.getTime());
    return held.slice(1).map((at, i) => ({ from: held[i], at, days: (at.getTime() - held[i].getTime()) / 86_400_000 }));
  }, [props.meetings]);
  const c = props.cadence;
  return (
    <Figure
      id="cadence"
      title="Cadence"
      summary={`${c.meetingsHeld} meetings held · median gap ${days(c.medianGapDays)} · current gap ${days(c.currentGapDays)} · ${c.agreedDays} d agreed · score ${score(c.score)}${c.needsCheckIn ? ' · check-in due' : ''}${c.inactive ? ' · inactive' : ''}`}
      table={
        <DataTable
          caption="Gaps between held meetings"
          rows={gaps}
          rowKey={(g) => g.at.toISOString()}
          empty="Fewer than two meetings held: no gap yet."
          columns={[
            { label: 'Meeting', value: (g) => date(g.at.toISOString()) },
            { label: 'Previous', value: (g) => date(g.from.toISOString()) },
            { label: 'Gap', value: (g) => days(g.days), numeric: true },
            { label: 'Agreed', value: () => `${c.agreedDays} d`, numeric: true },
          ]}
        />
      }
    >
      <PlotChart
        label="Days between consecutive held meetings, against the agreed cadence"
        description="Bars: each gap in days; dashed line: the agreed days."
        dependencies={[gaps, c.agreedDays]}
        options={() => ({
          height: 180,
          x: { type: 'utc', label: null },
          y: { grid: true, label: 'Days', domain: [0, Math.max(c.agreedDays * 1.5, ...gaps.map((g) => g.days))] },
          marks: [
            Plot.rectY(gaps, {
              x1: 'from',
              x2: 'at',
              y: 'days',
              fill: (g: { days: number }) => (g.days > c.agreedDays ? '#f1a340' : '#7fbf7b'),
              inset: 1,
            }),
            Plot.ruleY([c.agreedDays], { stroke: '#333', strokeDasharray: '4 3' }),
            Plot.ruleY([0]),
          ],
        })}
      />
    </Figure>
  );
}
