import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface TestCredentials {
  /** PKCS#8 PEM. */
  privateKey: string;
  /** A self-signed X.509 certificate of the key, PEM. */
  certificate: string;
}

/**
 * A fresh RSA key and self-signed certificate made by `openssl` for one test run, so no key is ever committed and
 * nothing outside the run can sign with it.
 */
export async function selfSignedCertificate(commonName: string): Promise<TestCredentials> {
  const { stdout } = await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    '-',
    '-out',
    '-',
    '-subj',
    `/CN=${commonName}`,
    '-days',
    '2',
  ]);
  const pem = (label: string): string => {
    const found = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\n`).exec(stdout);
    if (!found) throw new Error(`openssl printed no ${label}`);
    return found[0];
  };
  return { privateKey: pem('PRIVATE KEY'), certificate: pem('CERTIFICATE') };
}
