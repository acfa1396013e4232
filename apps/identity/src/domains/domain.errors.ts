import { TesseraError } from '@tessera/contracts';
import { verificationRecord, verificationRecordName } from './verification-record';

/** Refusals of domain claims and verifications; each message says what to do next. */
export const DomainErrors = {
  publicEmailDomain: (domain: string) =>
    new TesseraError(
      'public_email_domain',
      `${domain} is a public e-mail provider: anyone can have an address there, so no organization can claim it.`,
    ),
  taken: (domain: string) =>
    new TesseraError('domain_taken', `${domain} is already verified by another organization.`),
  notFound: () => new TesseraError('not_found', 'The domain was not found.'),
  notPublished: (domain: string, token: string, found: number) => {
    const record = verificationRecord(domain, token);
    const seen =
      found === 0 ? 'No TXT record was found' : `None of the ${found} TXT records found has this value`;
    return new TesseraError(
      'domain_not_verified',
      `${seen} at ${record.name}. Publish a TXT record at ${record.name} with the value ` +
        `"${record.value}", then verify again (DNS changes can take a while to appear).`,
    );
  },
  lookupFailed: (domain: string, reason: string) =>
    new TesseraError(
      'domain_not_verified',
      `The DNS lookup of ${verificationRecordName(domain)} failed (${reason}), so nothing was checked. ` +
        'Try again in a few minutes.',
    ),
};
