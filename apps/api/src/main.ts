import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory';
import type { AppConfig } from '@trustline/config';

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
  const host = config.get('HOST', { infer: true });
  await app.listen(config.get('PORT', { infer: true }), host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  new Logger('Trustline').log(`listening on http://${host.includes(':') ? `[${host}]` : host}:${port}`);
}

main().catch((error: unknown) => {
  // Before the logger exists (bad configuration, unusable store): a plain message for a person, non-zero exit.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Trustline could not start: ${message}\n`);
  process.exit(1);
});
