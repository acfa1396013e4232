import { DomainTxtRecord } from '@tessera/contracts';

/**
 * Where an organization publishes its proof. The record lives under a name of its own, so it neither crowds the
 * apex's TXT records (SPF and others) nor asks for a change there.
 */
export function verificationRecordName(domain: string): string {
  return `_tessera-verification.${domain}`;
}

/** The TXT record that proves an organization controls a domain. */
export function verificationRecord(domain: string, token: string): DomainTxtRecord {
  return { name: verificationRecordName(domain), type: 'TXT', value: `tessera-verification=${token}` };
}
