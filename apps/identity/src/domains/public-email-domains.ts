import freeEmailDomains from 'free-email-domains';

/**
 * Domains whose addresses anyone can sign up for; no organization may claim one. Verification alone would keep them
 * safe (only the provider can publish their DNS records), but refusing them up front tells an Org Admin at once why,
 * instead of leaving a claim that can never be verified, and keeps a provider's own staff from binding every
 * mailbox of the provider to one organization's single sign-on. The list is the `free-email-domains` package's.
 */
const PUBLIC_EMAIL_DOMAINS: ReadonlySet<string> = new Set(freeEmailDomains);

/** True for a public provider's domain and for any name under it (`mail.gmail.com`): neither is one company's. */
export function isPublicEmailDomain(domain: string): boolean {
  const labels = domain.split('.');
  return labels.some((_, start) => PUBLIC_EMAIL_DOMAINS.has(labels.slice(start).join('.')));
}
