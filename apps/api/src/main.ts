import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory';
import type { AppConfig } from '@trustline/config';

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<AppConfig, true>>(ConfigService);
  await app.listen(config.get('PORT', { infer: true }), config.get('HOST', { infer: true }));
}

main().catch((error: unknown) => {
  // Before the logger exists (bad configuration, unusable store): a plain message for a person, non-zero exit.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Trustline could not start: ${message}\n`);
  process.exit(1);
});
