import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProjectionRunner, ReadModelSwap } from '@trustline/projections';
import { createApp } from '../apps/api/src/app.factory';
import { readReadModelPointer } from '@trustline/projections';

import type { CliOutput } from '../apps/cli/src/cli.io';
import { runCli } from '../apps/cli/src/trustline.cli';

const REPO_ROOT = path.resolve(__dirname, '..');
/** Between two requests of the traffic kept up during the rebuild. */
const TRAFFIC_PAUSE_MS = 25;

function capture(): CliOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

/** The CLI in a process of its own, as an operator runs it next to the server. */
function runCliProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Stable fields only: trust scores move with the clock.
const PROGRAM_QUERY = `query ($id: ID!) {
  program(id: $id) {
    name
    relationships(first: 50, after: null) {
      totalCount
      edges { node { id status startedAt mentor { displayName } mentee { displayName } promises { id status } meetings { id status } } }
    }
  }
}`;
const COMMUNICATIONS_QUERY = `query ($id: ID!) { program(id: $id) { trustTrend(bucket: MONTH) { communications } } }`;

describe('a server running while trustline rebuild runs beside it', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let url: string;
  let token: string;
  let programId: string;
  let startedOn: string;
  const announced: bigint[] = [];

  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: T; errors?: unknown[] }) };
  };
  const recordCommunication = async (summary: string) => {
    const response = await graphql<{ recordProgramCommunication: { position: string; projected: boolean } }>(
      'mutation ($input: RecordProgramCommunicationInput!) { recordProgramCommunication(input: $input) { position projected } }',
      { input: { programId, channel: 'email', summary } },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.recordProgramCommunication;
  };
  const communications = async () =>
    (
      await graphql<{ program: { trustTrend: { communications: number }[] } }>(COMMUNICATIONS_QUERY, { id: programId })
    ).data!.program.trustTrend.reduce((sum, point) => sum + point.communications, 0);

  let seeded: ReturnType<typeof capture>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustline-cli-swap-'));
    seeded = capture();
    expect(
      await runCli(
        ['seed-demo', '--relationships', '6', '--months', '2', '--seed', '5', '--data-dir', dataDir],
        seeded,
      ),
    ).toBe(0);
    // A first rebuild with no server: the server below must start on the file it points at.
    expect(await runCli(['rebuild', '--data-dir', dataDir], capture())).toBe(0);
    startedOn = readReadModelPointer(dataDir).file;

    app = await createApp({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0' });
    // What the server announces on its EventBus (EventsProjected) after each commit.
    app.get(ProjectionRunner).onCommitted((events) => announced.push(...events.map((event) => event.position)));
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    const minted = capture();
    expect(await runCli(['token', '--role', 'ADMIN', '--data-dir', dataDir], minted)).toBe(0);
    token = minted.stdout[0];
    const programs = await graphql<{ programs: { edges: { node: { id: string } }[] } }>(
      '{ programs(first: 1) { edges { node { id } } } }',
    );
    programId = programs.data!.programs.edges[0].node.id;
  }, 30_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on the file the pointer names, and accepts a token the CLI minted', async () => {
    expect(startedOn).not.toBe('read.db');
    expect(app.get(ReadModelSwap).database.file).toBe(path.join(dataDir, startedOn));
    expect(programId).toEqual(expect.any(String));
  });

  it("prints a program manager's and a mentee's token for its program, which the server accepts in those roles", async () => {
    const tokenOf = (role: string) => {
      const line = seeded.stdout
        .join('\n')
        .split('\n')
        .find((text) => text.trim().startsWith(`${role} `));
      return line!.trim().split(/\s+/)[1];
    };
    const ask = async (bearer: string, query: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query, variables: { id: programId } }),
      });
      return (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: { extensions?: { code?: string } }[];
      };
    };
    const manager = await ask(
      tokenOf('PROGRAM_MANAGER'),
      'query ($id: ID!) { program(id: $id) { relationships { totalCount } atRisk { id } } }',
    );
    expect(manager.errors).toBeUndefined();
    expect(manager.data).toEqual({ program: { relationships: { totalCount: 6 }, atRisk: expect.anything() } });
    const mentee = await ask(
      tokenOf('MENTEE'),
      'query ($id: ID!) { program(id: $id) { relationships { totalCount } } }',
    );
    expect(mentee.data).toEqual({ program: { relationships: { totalCount: 1 } } });
    const analytics = await ask(tokenOf('MENTEE'), 'query ($id: ID!) { program(id: $id) { atRisk { id } } }');
    expect(analytics.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses to seed the demo into the data directory it serves', async () => {
    const output = capture();
    expect(await runCli(['seed-demo', '--seed', '6', '--data-dir', dataDir], output)).toBe(2);
    expect(output.stderr.join('\n')).toContain('stop the server on this data directory first');
  });

  it('keeps answering and projecting during the rebuild, then serves the new file with the same data', async () => {
    const before = await graphql<{ program: { relationships: { totalCount: number; edges: unknown[] } } }>(
      PROGRAM_QUERY,
      { id: programId },
    );
    expect(before.data?.program.relationships.totalCount).toBe(6);
    expect(before.data?.program.relationships.edges).toHaveLength(6);
    const communicationsBefore = await communications();

    const rebuild = runCliProcess(['rebuild', '--data-dir', dataDir]);
    let finished = false;
    void rebuild.finally(() => (finished = true));
    const positions: bigint[] = [];
    let answered = 0;
    while (!finished) {
      const during = await graphql(PROGRAM_QUERY, { id: programId });
      expect(during).toEqual(before);
      answered++;
      const written = await recordCommunication(`during the rebuild, ${answered}`);
      expect(written.projected).toBe(true);
      positions.push(BigInt(written.position));
      await new Promise((resolve) => setTimeout(resolve, TRAFFIC_PAUSE_MS));
    }
    const result = await rebuild;
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`The server swapped to`);
    expect(answered).toBeGreaterThan(5);

    const pointer = readReadModelPointer(dataDir);
    expect(pointer).toEqual({ file: expect.not.stringMatching(startedOn), previous: startedOn });
    expect(app.get(ReadModelSwap).database.file).toBe(path.join(dataDir, pointer.file));
    expect(fs.existsSync(path.join(dataDir, startedOn))).toBe(false);

    expect(await graphql(PROGRAM_QUERY, { id: programId })).toEqual(before);
    const after = await recordCommunication('after the swap');
    expect(after.projected).toBe(true);
    positions.push(BigInt(after.position));
    expect(await communications()).toBe(communicationsBefore + positions.length);
    // Every event written meanwhile was announced once, across the swap.
    expect(positions.filter((position) => !announced.includes(position))).toEqual([]);
    expect(new Set(announced).size).toBe(announced.length);
  }, 30_000);
});
