// The client check of `npm test`: the generated schema (apps/api/schema.graphql)
// must be one that relay-compiler and GraphQL Code Generator accept, and the
// codegen output must compile under strict tsc. Everything is written under
// dist/clients-check (ignored), fresh each run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = path.join(root, 'apps/api/schema.graphql');
const work = path.join(root, 'dist/clients-check');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

const results = [];
async function check(name, run) {
  try {
    await run();
    results.push({ name, ok: true });
    console.log(`ok   ${name}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n${String(error.stdout ?? '')}${String(error.stderr ?? '')}${error.message}`);
  }
}

await check('relay-compiler compiles the Relay fragments (Node, @refetchable, @connection both ways)', () => {
  const relayDir = path.join(work, 'relay');
  fs.cpSync(path.join(root, 'test/clients/relay'), path.join(relayDir, 'src'), { recursive: true });
  fs.writeFileSync(
    path.join(relayDir, 'relay.config.json'),
    JSON.stringify(
      { src: './src', schema, language: 'typescript', customScalarTypes: { DateTime: 'string' } },
      null,
      2,
    ),
  );
  execFileSync(process.execPath, [path.join(root, 'node_modules/relay-compiler/cli.js')], {
    cwd: relayDir,
    stdio: 'pipe',
  });
  const artifacts = fs.readdirSync(path.join(relayDir, 'src/__generated__'));
  for (const expected of [
    'RelationshipCardRefetchQuery.graphql.ts',
    'ProgramRelationshipsPaginationQuery.graphql.ts',
  ]) {
    if (!artifacts.includes(expected)) throw new Error(`relay-compiler did not write ${expected}`);
  }
});

await check('graphql-codegen types the operations and the dashboard’s own', async () => {
  await generate(
    {
      schema,
      documents: [path.join(root, 'test/clients/codegen/*.graphql'), path.join(root, 'apps/web/src/queries.ts')],
      config: { scalars: { DateTime: 'string' }, strictScalars: true, enumsAsTypes: true },
      generates: { [path.join(work, 'gql/')]: { preset: 'client' } },
      silent: true,
      errorsOnly: true,
    },
    true,
  );
});

await check('the generated types compile with strict tsc', () => {
  fs.writeFileSync(
    path.join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        skipLibCheck: false,
        types: [],
      },
      include: ['gql/**/*.ts'],
    }),
  );
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(work, 'tsconfig.json')],
    { stdio: 'pipe' },
  );
});

const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
