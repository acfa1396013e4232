/** What a provider's callback established about the person, before Tessera decides who they are. */
export interface ProviderProfile {
  /** The provider's stable id of the person: the key of the linked identity. */
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
}

export interface AuthorizationRequest {
  state: string;
  codeChallenge: string;
  nonce: string;
}

/** A sign-in method: where to send the browser, and how to turn the callback into a verified profile. */
export interface SignInProviderClient {
  authorizationUrl(request: AuthorizationRequest): Promise<string>;
  /** Throws `signin_failed` when the provider did not confirm the sign-in (bad code, bad token, …). */
  profile(
    params: Record<string, string>,
    attempt: { codeVerifier: string; nonce: string | null; state: string },
  ): Promise<ProviderProfile>;
}
