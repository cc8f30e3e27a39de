import { query } from './api';
import { Problem } from './app';
import { DataTable } from './charts';
import { date } from './format';
import { PROGRAMS } from './queries';
import { href } from './route';
import { useLoad } from './use-query';

interface Programs {
  programs: {
    totalCount: number;
    edges: { node: { id: string; name: string; cadenceDays: number; launchedAt: string } }[];
  };
}

export function ProgramsView() {
  const programs = useLoad(() => query<Programs>(PROGRAMS), []);
  return (
    <section aria-labelledby="programs-title">
      <h1 id="programs-title">Programs</h1>
      {programs.error && <Problem error={programs.error} />}
      {programs.loading && !programs.data && <p aria-busy="true">Loading…</p>}
      {programs.data && (
        <div class="card">
          <DataTable
            caption="Programs you may see"
            rows={programs.data.programs.edges.map((edge) => edge.node)}
            rowKey={(program) => program.id}
            empty="No programs are visible to you."
            columns={[
              { label: 'Program', value: (p) => <a href={href({ view: 'program', id: p.id })}>{p.name}</a> },
              { label: 'Launched', value: (p) => date(p.launchedAt) },
              { label: 'Cadence', value: (p) => `${p.cadenceDays} days`, numeric: true },
            ]}
          />
        </div>
      )}
    </section>
  );
}
