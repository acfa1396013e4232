import { Command } from 'commander';
import type { ApiSchemas } from '@tessera/client';
import { CliContext } from '../context';
import { pick } from '../lookup';
import { date } from '../output';
import type { Act } from '../program';
import { ORG_ARGUMENT, organizationId } from './org-reference';

type Domain = ApiSchemas['DomainView'];

/** The TXT record as a zone file writes it. */
function record(domain: Domain): string {
  return `${domain.txtRecord.name} TXT "${domain.txtRecord.value}"`;
}

async function add(context: CliContext, reference: string, name: string): Promise<void> {
  const orgId = await organizationId(context, reference);
  const domain = await (await context.client()).claimDomain(orgId, name);
  context.output.result(
    domain,
    domain.status === 'verified'
      ? `${domain.domain} is already verified for this organization (since ${date(domain.verifiedAt)}).`
      : [
          `Claimed ${domain.domain} (${domain.id}). Publish this DNS record, and keep it published:`,
          `  ${record(domain)}`,
          `Then: tessera orgs domains verify ${reference} ${domain.domain}`,
        ].join('\n'),
  );
}

async function verify(context: CliContext, reference: string, domainReference: string): Promise<void> {
  const orgId = await organizationId(context, reference);
  const client = await context.client();
  const domain = pick(
    await client.domains(orgId),
    domainReference,
    { id: (candidate) => candidate.id, label: (candidate) => candidate.domain },
    'domain',
    `tessera orgs domains list ${reference}`,
  );
  const verified = await client.verifyDomain(orgId, domain.id);
  context.output.result(
    verified,
    `${verified.domain} is verified (since ${date(verified.verifiedAt)}): e-mails at it belong to this organization.`,
  );
}

async function list(context: CliContext, reference: string): Promise<void> {
  const orgId = await organizationId(context, reference);
  context.output.list(
    await (await context.client()).domains(orgId),
    [
      { header: 'ID', value: (domain) => domain.id },
      { header: 'DOMAIN', value: (domain) => domain.domain },
      { header: 'STATUS', value: (domain) => domain.status },
      { header: 'VERIFIED', value: (domain) => date(domain.verifiedAt) },
      { header: 'DNS RECORD', value: record },
    ],
    `The organization has no domains: "tessera orgs domains add ${reference} <domain>" claims one.`,
  );
}

export function registerOrgDomains(orgs: Command, act: Act): void {
  const domains = orgs
    .command('domains')
    .description('E-mail domains the organization proves it owns with a DNS TXT record (Org Admins).')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera orgs domains add Acme acme.com\n  $ tessera orgs domains verify Acme acme.com',
    );
  domains
    .command('add')
    .argument('<org>', ORG_ARGUMENT)
    .argument('<domain>', 'the e-mail domain, e.g. acme.com')
    .description('Claims a domain and prints the TXT record to publish before verifying it.')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera orgs domains add Acme acme.com\n  $ tessera orgs domains add Acme acme.com --json | jq -r .txtRecord.value',
    )
    .action(act((context, [org, domain]) => add(context, org, domain)));
  domains
    .command('verify')
    .argument('<org>', ORG_ARGUMENT)
    .argument('<domain>', 'domain name or id')
    .description('Looks the TXT record up in DNS now; exit 1, naming the record, if it is not there yet.')
    .addHelpText('after', '\nExample:\n  $ tessera orgs domains verify Acme acme.com')
    .action(act((context, [org, domain]) => verify(context, org, domain)));
  domains
    .command('list')
    .argument('<org>', ORG_ARGUMENT)
    .description("Lists the organization's domains, pending and verified, with their DNS records.")
    .addHelpText(
      'after',
      '\nExamples:\n  $ tessera orgs domains list Acme\n  $ tessera orgs domains list Acme --json',
    )
    .action(act((context, [org]) => list(context, org)));
}
