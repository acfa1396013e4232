import { allVariables, configTable } from '@tessera/config';

/** `npm run docs:config`: prints the README's configuration table from the variables' definitions. */
process.stdout.write(`${configTable(allVariables)}\n`);
