import { Response } from 'express';

/**
 * The two token endpoints answer errors the OAuth way (RFC 6749 §5.2, RFC 8628 §3.5): `{ error, error_description }`
 * with 400, because OAuth clients and libraries read that shape. Every other endpoint uses Tessera's envelope.
 */
export function sendOAuthError(response: Response, error: string, description: string): { error: string } {
  response.status(400).setHeader('Cache-Control', 'no-store');
  return { error, error_description: description } as { error: string };
}
