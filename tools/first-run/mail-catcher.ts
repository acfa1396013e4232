import { AddressInfo } from 'node:net';
import { keepCaughtMail, parseMessage } from '@tessera/runtime';

/** The SMTP server of a first run, and how to stop it. */
export interface MailCatcher {
  url: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * An SMTP server (`smtp-server`, loaded only here) on a free loopback port that delivers nothing: it keeps every
 * message as a file in `directory`, which the gateway shows at `/dev/mail`, so invitations work on a machine
 * with no mail set up.
 */
export async function startMailCatcher(directory: string): Promise<MailCatcher> {
  const { SMTPServer } = await import('smtp-server');
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'], // plain SMTP on loopback
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000, // by then the services, its only clients, have stopped
    size: MAX_MESSAGE_BYTES,
    onData: (stream, session, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return done(new Error('message too large'));
        const { subject, text } = parseMessage(Buffer.concat(chunks).toString('utf8'));
        keepCaughtMail(directory, {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          subject,
          text,
          receivedAt: new Date().toISOString(),
        }).then(() => done(), done);
      });
    },
  });
  await new Promise<void>((listening) => smtp.listen(0, '127.0.0.1', listening));
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    close: () => new Promise((closed) => smtp.close(closed)),
  };
}
