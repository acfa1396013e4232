import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { z } from 'zod';

/** Longest host name DNS can carry (RFC 1035, in its dotted text form). */
const MAX_DOMAIN_LENGTH = 253;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A top-level label is letters, or an internationalized one in punycode; an all-digit one would make an IP address. */
const TOP_LEVEL_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Characters that end a host in a URL, and white space: none belongs in a domain name. */
const URL_DELIMITER = /[\s/?#\\@:%[\]]/;

export type DomainNameCheck = { valid: true; domain: string } | { valid: false; problem: string };

/**
 * A domain as Tessera stores and compares it: lower-case ASCII (punycode for internationalized names), without a
 * trailing dot, a host name of at least two labels under a plausible top-level domain. Wildcards and IP addresses
 * are refused: a verified domain names exactly one DNS zone that mail can come from.
 */
export function checkDomainName(input: unknown): DomainNameCheck {
  if (typeof input !== 'string') return invalid('`domain` must be a domain name such as `acme.com`.');
  const text = input.trim().replace(/\.$/, '');
  if (text.length === 0 || text.length > MAX_DOMAIN_LENGTH)
    return invalid(`A domain name has 1 to ${MAX_DOMAIN_LENGTH} characters.`);
  if (text.includes('*'))
    return invalid('Wildcards cannot be verified: claim the domain itself, e.g. `acme.com`.');
  // domainToASCII is the URL host parser: it stops at URL delimiters (`acme.com/x` → `acme.com`), so those are
  // refused before it, and it turns some number forms into IPv4 addresses (`0x7f.1`), so addresses are looked for
  // after it as well.
  const domain = URL_DELIMITER.test(text) ? '' : domainToASCII(text.toLowerCase());
  if (isIP(domain) !== 0 || isIP(text.replace(/^\[|\]$/g, '')) !== 0)
    return invalid('An IP address is not a domain name.');
  const labels = domain.split('.');
  if (
    domain.length === 0 ||
    domain.length > MAX_DOMAIN_LENGTH ||
    labels.length < 2 ||
    !labels.every((label) => LABEL.test(label)) ||
    !TOP_LEVEL_LABEL.test(labels[labels.length - 1])
  ) {
    return invalid(
      `"${input.slice(0, 80)}" is not a domain name: use letters, digits and hyphens in dot-separated labels, e.g. \`acme.com\`.`,
    );
  }
  return { valid: true, domain };
}

/** A domain name as a person types it, read as Tessera stores it (see `checkDomainName`). */
export const DomainNameSchema = z
  .string({ error: '`domain` must be a domain name such as `acme.com`.' })
  .transform((input, context) => {
    const check = checkDomainName(input);
    if (check.valid) return check.domain;
    context.addIssue({ code: 'custom', message: check.problem });
    return z.NEVER;
  })
  .meta({
    example: 'acme.com',
    description: 'A domain your organization controls; internationalized names are stored in punycode.',
  });

/** The domain of an e-mail address, normalized like a claimed domain; undefined if the address has no usable one. */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1) return undefined;
  const check = checkDomainName(email.slice(at + 1));
  return check.valid ? check.domain : undefined;
}

function invalid(problem: string): DomainNameCheck {
  return { valid: false, problem };
}
