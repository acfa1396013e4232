import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ServiceUnavailableError, TesseraError } from '@tessera/contracts';
import { toErrorEnvelope } from './error-envelope';

describe('toErrorEnvelope', () => {
  it('keeps the code and message of a TesseraError, with its status', () => {
    expect(toErrorEnvelope(new TesseraError('not_found', 'No such team.'), 'r1')).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'No such team.', requestId: 'r1' } },
    });
  });

  it('names the service that did not answer', () => {
    const { status, body } = toErrorEnvelope(new ServiceUnavailableError('teams', 'timeout'), 'r2');
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'service_unavailable', service: 'teams', requestId: 'r2' });
  });

  it("maps Nest's HTTP exceptions by status", () => {
    expect(toErrorEnvelope(new NotFoundException('Cannot GET /x'), 'r').body.error.code).toBe('not_found');
    expect(toErrorEnvelope(new PayloadTooLargeException(), 'r').status).toBe(413);
    expect(
      toErrorEnvelope(new BadRequestException(['a is wrong', 'b is wrong']), 'r').body.error,
    ).toMatchObject({
      code: 'bad_request',
      message: 'a is wrong; b is wrong',
    });
  });

  it('maps body-parser errors that are safe to expose', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected end of JSON input'), {
      status: 400,
      expose: true,
    });
    expect(toErrorEnvelope(parseError, 'r')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    });
  });

  it('hides everything about an unexpected error', () => {
    const { status, body } = toErrorEnvelope(new Error('password=hunter2 at db.ts:12'), 'r');
    expect(status).toBe(500);
    expect(body.error).toEqual({ code: 'internal', message: 'An internal error occurred.', requestId: 'r' });
  });
});
