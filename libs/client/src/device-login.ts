import type { DeviceAuthorization, TokenGrant } from '@tessera/contracts';
import { TesseraApiError } from './errors';
import { post } from './http';

const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628 §3.5: after `slow_down`, wait five seconds more on every later poll. */
const SLOW_DOWN_SECONDS = 5;

/** Device login (RFC 8628), step 1: the codes to show the person. */
export function requestDeviceCode(host: string, clientId = 'tessera-cli'): Promise<DeviceAuthorization> {
  return post(host, '/auth/device/code', { client_id: clientId });
}

/** The SSO sign-in URL for a work e-mail whose domain an organization with SSO verified; null otherwise. */
export async function discoverSso(host: string, email: string): Promise<string | null> {
  const { loginUrl } = await post<{ loginUrl: string | null }>(host, '/auth/sso/discover', { email });
  return loginUrl;
}

/**
 * Device login, step 2: the page the person opens. With a work e-mail whose organization has SSO, that is the SSO
 * sign-in, which lands on the verification page once the IdP has signed them in.
 */
export async function approvalUrl(
  host: string,
  authorization: DeviceAuthorization,
  email?: string,
): Promise<{ url: string; sso: boolean }> {
  const loginUrl = email ? await discoverSso(host, email) : null;
  if (!loginUrl) return { url: authorization.verification_uri_complete, sso: false };
  const page = new URL(authorization.verification_uri_complete);
  return {
    url: `${loginUrl}?${new URLSearchParams({ return_to: `${page.pathname}${page.search}` })}`,
    sso: true,
  };
}

/**
 * Device login, step 3: polls at the interval the server asked for until the person approves (tokens) or denies,
 * or the code expires (both `TesseraApiError`: `access_denied`, `expired_token`).
 */
export async function waitForApproval(host: string, authorization: DeviceAuthorization): Promise<TokenGrant> {
  let intervalSeconds = authorization.interval;
  for (;;) {
    await new Promise((done) => setTimeout(done, intervalSeconds * 1000));
    try {
      return await post<TokenGrant>(host, '/auth/device/token', {
        grant_type: DEVICE_GRANT_TYPE,
        device_code: authorization.device_code,
      });
    } catch (error) {
      if (!(error instanceof TesseraApiError)) throw error;
      if (error.code === 'slow_down') intervalSeconds += SLOW_DOWN_SECONDS;
      else if (error.code !== 'authorization_pending') throw error;
    }
  }
}

/** Signs the session of this refresh token out everywhere (the endpoint answers 204 whatever the token). */
export async function revokeLogin(host: string, refreshToken: string): Promise<void> {
  await post(host, '/auth/logout', { refresh_token: refreshToken });
}
