import { readFileSync } from 'node:fs';
import { OPENAPI_FILE, generateOpenApi, openApiText } from '../tools/openapi';

describe('docs/openapi.json', () => {
  it('is the document the routes declare', async () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    const generated = openApiText(await generateOpenApi());
    if (committed !== generated)
      throw new Error('docs/openapi.json is not what the routes declare: run `npm run docs:openapi`.');
  });
});
