import { Inject, Injectable } from '@nestjs/common';
import { SamlConnection, SsoProfile } from '@tessera/contracts';
import { LOGGER, Logger } from '@tessera/runtime';
import { randomBytes } from 'node:crypto';
import { IdentityErrors, SsoFailedError } from '../identity.errors';
import { SamlResponseValidator } from './saml-response-validator';
import { samlServiceProvider } from './saml-service-provider';
import { RequestContext, SamlStateRepository, requestBinding } from './saml-state.repository';

/** How long an IdP may take to answer an AuthnRequest: the person may have to sign in there first. */
const REQUEST_TTL_MS = 10 * 60_000;

/**
 * SAML single sign-on for a connection, in the order the routes call it: the SP metadata an IdP admin imports, the
 * redirect that starts a sign-in, and the verification of what the IdP posts back. Identity decides everything; the
 * gateway only carries the browser's requests.
 */
@Injectable()
export class SamlSignInService {
  constructor(
    private readonly validator: SamlResponseValidator,
    private readonly state: SamlStateRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The SP metadata (entity id, ACS URL, signed assertions wanted) to give the IdP's admin. */
  spMetadata(connection: SamlConnection): string {
    return samlServiceProvider(connection).generateServiceProviderMetadata(null);
  }

  /**
   * Starts an SP-initiated sign-in: records a new AuthnRequest ID (hashed, for ten minutes) with what it is for, and
   * returns the IdP URL carrying the request (HTTP-Redirect binding, unsigned) and the `binding` the browser keeps in
   * a cookie (sent cross-site: `SameSite=None`) so that only this browser can post the answer.
   */
  async startLogin(
    connection: SamlConnection,
    context: RequestContext,
  ): Promise<{ redirectUrl: string; requestId: string; binding: string }> {
    // An XML ID must not start with a digit; 160 random bits, like node-saml's own IDs.
    const requestId = `_${randomBytes(20).toString('hex')}`;
    await this.state.recordRequest(connection.id, requestId, new Date(Date.now() + REQUEST_TTL_MS), context);
    const redirectUrl = await samlServiceProvider(connection, requestId).getAuthorizeUrlAsync(
      '',
      undefined,
      {},
    );
    return { redirectUrl, requestId, binding: requestBinding(requestId) };
  }

  /**
   * The person a posted `SAMLResponse` signs in. It must validate (SamlResponseValidator); then it must answer a
   * pending request of this connection started by this browser (`binding`, from its cookie), or be IdP-initiated on
   * a connection that allows that; and its assertion must not have been used before. The request is consumed and the assertion remembered in one transaction, only when
   * all of this holds. Refusals throw `signin_failed` and are logged with their reason (never the response itself).
   */
  async verify(
    connection: SamlConnection,
    samlResponse: string,
    binding: string | undefined,
  ): Promise<{ profile: SsoProfile; request: RequestContext }> {
    try {
      const { profile, acceptableUntil } = await this.validator.validate(connection, samlResponse);
      if (profile.inResponseTo === undefined && !connection.allowIdpInitiated) {
        throw IdentityErrors.ssoFailed('unsolicited_not_allowed');
      }
      const use = await this.state.useAssertion({
        connectionId: connection.id,
        assertionId: profile.assertionId,
        acceptableUntil,
        inResponseTo: profile.inResponseTo,
        binding,
      });
      if (typeof use === 'string') throw IdentityErrors.ssoFailed(use);
      return { profile, request: use };
    } catch (error) {
      if (error instanceof SsoFailedError) {
        this.logger.warn(
          { connectionId: connection.id, reason: error.reason, detail: error.detail },
          'SAML sign-in refused',
        );
      }
      throw error;
    }
  }
}
