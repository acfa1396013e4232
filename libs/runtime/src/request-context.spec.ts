import { acceptRequestId, currentRequestId, requestContext } from './request-context';

describe('request ids', () => {
  it('keeps a well-formed id and replaces anything else with a UUID', () => {
    expect(acceptRequestId('abc-123_DEF.4:5')).toBe('abc-123_DEF.4:5');
    for (const bad of [undefined, null, '', 'short', 'has space 123', 'line\nbreak-12345', 'x'.repeat(129)]) {
      expect(acceptRequestId(bad)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('follows asynchronous work inside its context only', async () => {
    expect(currentRequestId()).toBeUndefined();
    await requestContext.run({ requestId: 'inside-0001' }, async () => {
      await new Promise((done) => setTimeout(done, 1));
      expect(currentRequestId()).toBe('inside-0001');
    });
    expect(currentRequestId()).toBeUndefined();
  });
});
