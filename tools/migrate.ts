import { commonVariables, loadConfigOrExit } from '@tessera/config';
import { migrateServiceDatabase } from '@tessera/persistence';
import { databaseServices } from './service-definitions';

/**
 * `npm run migrate`: applies every service's pending migrations as `TESSERA_DATABASE_URL` and grants each
 * service's role its schema, as a service without a login of its own also does when it starts.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(commonVariables);
  for (const service of databaseServices) {
    const applied = await migrateServiceDatabase(service.database(config));
    process.stdout.write(
      `${service.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
