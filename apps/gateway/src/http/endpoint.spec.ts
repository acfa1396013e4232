import { Body, Controller, INestApplication, Param, Post, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Uuid } from '@tessera/contracts';
import request from 'supertest';
import { z } from 'zod';
import { Endpoint, PathParamsGuard } from './endpoint';
import { toErrorEnvelope } from './error-envelope';

const Answer = z.object({ id: Uuid, name: z.string() });
const Body_ = z.strictObject({ name: z.string().min(1), graceSeconds: z.number().int().optional() });

@Controller('things')
class ThingsController {
  @Post(':id')
  @Endpoint({
    summary: 'A route as every /v1 route is declared.',
    params: z.strictObject({ id: Uuid }),
    query: z.strictObject({ dryRun: z.enum(['true', 'false']).optional() }),
    body: Body_,
    response: Answer,
    status: 200,
    renamed: { grace_seconds: 'graceSeconds', dry_run: 'dryRun' },
  })
  save(
    @Param('id') id: string,
    @Query() query: { dryRun?: string },
    @Body() body: z.output<typeof Body_>,
  ): z.input<typeof Answer> & Record<string, unknown> {
    // Answers more than it declares, as a service reply with a new (or secret) field would.
    return {
      id,
      name: `${body.name}:${body.graceSeconds ?? ''}:${query.dryRun ?? ''}`,
      secretHash: 'never-sent',
    };
  }
}

describe('@Endpoint', () => {
  let app: INestApplication;
  const id = '0193a1c4-7f0e-7c2a-9d4e-3f1b2a6c8d90';

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [ThingsController] }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalGuards(new PathParamsGuard());
    app.useGlobalFilters({
      catch: (error: unknown, host) => {
        const { status, body } = toErrorEnvelope(error, 'r');
        host.switchToHttp().getResponse().status(status).json(body);
      },
    });
    await app.init();
  });
  afterAll(() => app.close());

  it('sends only the fields the response declares', async () => {
    const answer = await request(app.getHttpServer()).post(`/things/${id}`).send({ name: 'a' }).expect(200);
    expect(answer.body).toEqual({ id, name: 'a::' });
  });

  it('refuses a malformed id, an unknown field and a bad value, naming each', async () => {
    const badId = await request(app.getHttpServer()).post('/things/42').send({ name: 'a' }).expect(400);
    expect(badId.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'id' }] });
    const bad = await request(app.getHttpServer())
      .post(`/things/${id}`)
      .send({ name: '', nmae: 'a' })
      .expect(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['', 'name']);
  });

  it('reads an old name as the new one with a Deprecation header, and prefers the new one', async () => {
    const old = await request(app.getHttpServer())
      .post(`/things/${id}?dry_run=true`)
      .send({ name: 'a', grace_seconds: 5 })
      .expect(200);
    expect(old.headers.deprecation).toMatch(/^@\d+$/);
    expect(old.body.name).toBe('a:5:true');
    const both = await request(app.getHttpServer())
      .post(`/things/${id}`)
      .send({ name: 'a', grace_seconds: 5, graceSeconds: 7 })
      .expect(200);
    expect(both.headers.deprecation).toBeDefined();
    expect(both.body.name).toBe('a:7:');
    const current = await request(app.getHttpServer())
      .post(`/things/${id}?dryRun=true`)
      .send({ name: 'a', graceSeconds: 7 })
      .expect(200);
    expect(current.headers.deprecation).toBeUndefined();
    expect(current.body.name).toBe('a:7:true');
  });
});
