import { GatewayConfig } from '@tessera/config';
import { isUuid } from '@tessera/contracts';
import { constantTimeEqual, deriveKey } from '@tessera/runtime';
import { createHmac } from 'node:crypto';

/**
 * The sign-in page's "Continue with single sign-on" button comes from the `sso` query parameter, which anyone can
 * write into a link to the real sign-in page. So the gateway signs it when it redirects a refusal there: the value is
 * `<connection id>.<HMAC of the error code and connection id>`, and the page shows the button only for a value signed
 * for the error it shows (decision 013). The key is derived from the root secret for this use alone.
 */
export class SsoHint {
  private readonly key: Buffer;

  constructor(config: GatewayConfig) {
    this.key = deriveKey(config.secretKey, 'gateway/sso-hint');
  }

  sign(error: string, connectionId: string): string {
    return `${connectionId}.${this.mac(error, connectionId)}`;
  }

  /** The connection id of a value signed for `error`; undefined for anything else. */
  verify(error: unknown, value: unknown): string | undefined {
    if (typeof error !== 'string' || typeof value !== 'string') return undefined;
    const [connectionId, mac, ...rest] = value.split('.');
    if (rest.length > 0 || !isUuid(connectionId) || !mac) return undefined;
    return constantTimeEqual(mac, this.mac(error, connectionId)) ? connectionId : undefined;
  }

  private mac(error: string, connectionId: string): string {
    return createHmac('sha256', this.key).update(`${error}\n${connectionId}`).digest('base64url');
  }
}
