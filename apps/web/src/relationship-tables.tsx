import { DataTable } from './charts';
import { date, dateTime } from './format';

// A relationship's promises and meetings, shown alike on its page and in its audit snapshot.

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
