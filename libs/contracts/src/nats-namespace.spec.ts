import { AUTHZ_CHECK_SUBJECT } from './authz';
import { EVENTS_STREAM, EVENTS_SUBJECTS } from './events';
import { NatsNamespace } from './nats-namespace';

describe('NatsNamespace', () => {
  it('leaves every name as the contracts spell it with the default prefix', () => {
    const names = new NatsNamespace();
    expect(names.subject(AUTHZ_CHECK_SUBJECT)).toBe('tessera.authz.check');
    expect(names.subject('tessera.keys.key.create')).toBe('tessera.keys.key.create');
    expect(names.subject(EVENTS_SUBJECTS)).toBe('tessera.events.>');
    expect(names.stream(EVENTS_STREAM)).toBe('TESSERA_EVENTS');
  });

  it('puts subjects and streams under another installation’s prefix', () => {
    const names = new NatsNamespace('acme-prod');
    expect(names.subject(AUTHZ_CHECK_SUBJECT)).toBe('acme-prod.authz.check');
    expect(names.subject('tessera.events.teams.>')).toBe('acme-prod.events.teams.>');
    expect(names.stream(EVENTS_STREAM)).toBe('ACME-PROD_EVENTS');
  });

  it('refuses a name that is not one of Tessera’s, rather than guess', () => {
    const names = new NatsNamespace('acme');
    expect(() => names.subject('_INBOX_gateway.x')).toThrow('not a Tessera subject: _INBOX_gateway.x');
    expect(() => names.subject('tesseract.x')).toThrow('not a Tessera subject');
    expect(() => names.stream('OTHER_EVENTS')).toThrow('not a Tessera stream: OTHER_EVENTS');
  });
});
