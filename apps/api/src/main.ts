import { ConfigService } from '@nestjs/config';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import type { AppConfig } from './config/app-config';

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
  await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
  // Every GraphQL call needs a token: say how to get one.
  app
    .get(Logger)
    .log(
      `Trustline listens on ${await app.getUrl()}/graphql. Every call needs a token: ` +
        '`npm run cli -- token --role ADMIN` prints one (add --data-dir as the server\'s DATA_DIR); ' +
        'send it as "Authorization: Bearer <token>". See README "Access".',
    );
}

main().catch((error: unknown) => {
  // Before the logger exists (bad configuration, unusable store): a plain message for a person, non-zero exit.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Trustline could not start: ${message}\n`);
  process.exit(1);
});
