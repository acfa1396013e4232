import { GatewayConfig } from '@tessera/config';
import { SsoHint } from './sso-hint';

const CONNECTION = '0190b5a0-0000-7000-8000-000000000001';
const OTHER = '0190b5a0-0000-7000-8000-000000000002';
const hint = (secretKey: string) => new SsoHint({ secretKey } as GatewayConfig);

describe('SsoHint', () => {
  it('answers the connection of a value signed for the same error', () => {
    const signed = hint('a'.repeat(40)).sign('sso_required', CONNECTION);
    expect(hint('a'.repeat(40)).verify('sso_required', signed)).toBe(CONNECTION);
  });

  it('refuses a bare id, another connection, another error, another key, and junk', () => {
    const signer = hint('a'.repeat(40));
    const signed = signer.sign('sso_required', CONNECTION);
    const [, mac] = signed.split('.');
    for (const [error, value] of [
      ['sso_required', CONNECTION],
      ['sso_required', `${OTHER}.${mac}`],
      ['signin_method_not_allowed', signed],
      ['sso_required', `${signed}.x`],
      ['sso_required', 'not-a-uuid.x'],
      [undefined, signed],
      ['sso_required', ['array']],
    ] as const)
      expect(signer.verify(error, value)).toBeUndefined();
    expect(hint('b'.repeat(40)).verify('sso_required', signed)).toBeUndefined();
  });
});
