import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory';
import type { AppConfig } from '@trustline/config';

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
  const host = config.get('HOST', { infer: true });
  await app.listen({ port: config.get('PORT', { infer: true }), host });
  const { port } = app.getHttpServer().address() as AddressInfo;
  // One line says where the server listens; every GraphQL call needs a token, so it also says how to get one.
  new Logger('Trustline').log(
    `listening on http://${host.includes(':') ? `[${host}]` : host}:${port} (GraphQL at /graphql). Every call needs a token: ` +
      "`npm run cli -- token --role ADMIN` prints one (add --data-dir as the server's DATA_DIR); " +
      'send it as "Authorization: Bearer <token>". See README "Access".',
  );
}

main().catch((error: unknown) => {
  // Before the logger exists (bad configuration, unusable store): a plain message for a person, non-zero exit.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Trustline could not start: ${message}\n`);
  process.exit(1);
});
