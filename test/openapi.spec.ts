import { readFileSync } from 'node:fs';
import { OPENAPI_FILE, generateOpenApi, openApiText } from '../tools/openapi';

describe('docs/openapi.json', () => {
  let generated: string;
  beforeAll(async () => {
    generated = openApiText(await generateOpenApi());
  });

  it('is the document the routes declare', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (committed !== generated)
      throw new Error('docs/openapi.json is not what the routes declare: run `npm run docs:openapi`.');
  });

  it('describes every group of routes, as the browsable docs list them', () => {
    const { tags } = JSON.parse(generated) as { tags: Array<{ name: string; description?: string }> };
    expect(tags.filter((tag) => !tag.description).map((tag) => tag.name)).toEqual([]);
  });
});
