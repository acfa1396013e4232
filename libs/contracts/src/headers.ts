/** Carries the request id from the HTTP edge through every NATS hop, so one id finds a request in every log. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Accepted from clients as is; anything else is replaced by a fresh id so logs never carry attacker-shaped text. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Carries the command token of a call: proof, minted by a Tessera process for this one call, that the command comes
 * from a holder of the root secret (see docs/decisions/012-command-tokens.md). Never logged.
 */
export const CALLER_TOKEN_HEADER = 'Tessera-Caller';
