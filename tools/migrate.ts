import { commonVariables, loadConfigOrExit } from '@tessera/config';
import { dataSourceOptions, openMigratedDataSource } from '@tessera/persistence';
import { databaseServices } from './service-definitions';

/** `npm run migrate`: applies every service's pending migrations, as each service also does when it starts. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(commonVariables);
  for (const service of databaseServices) {
    const { dataSource, applied } = await openMigratedDataSource(dataSourceOptions(service.database(config)));
    await dataSource.destroy();
    process.stdout.write(
      `${service.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
