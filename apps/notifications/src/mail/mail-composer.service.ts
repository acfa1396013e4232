import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { INVITATION_TOKEN_PURPOSE, RpcClient, TesseraError } from '@tessera/contracts';
import { CONFIG, Keyring, SealedValueError } from '@tessera/runtime';
import { OutgoingMail, PermanentMailError } from './drivers/mail-driver';
import { MailJobData } from './mail-job';
import { RenderedMail } from './templates/html';
import { invitationAcceptedMail } from './templates/invitation-accepted.template';
import { invitationMail } from './templates/invitation.template';
import { memberRemovedMail } from './templates/member-removed.template';
import { roleChangedMail } from './templates/role-changed.template';

export type Composed = { mail: OutgoingMail } | { skipped: string };

/**
 * Turns a queued e-mail into the message to send, at send time: it looks recipients given by user id up in
 * identity (so an address changed meanwhile is used), opens the invitation token, and renders the template.
 *
 * Throws `PermanentMailError` when no retry can help (unknown user, a token sealed under another secret key);
 * any other error (identity unavailable) is worth a retry.
 */
@Injectable()
export class MailComposer {
  private readonly keyring: Keyring;
  private readonly publicUrl: string;
  private readonly messageIdDomain: string;

  constructor(
    private readonly rpc: RpcClient,
    @Inject(CONFIG) config: ServiceConfig,
  ) {
    this.keyring = Keyring.fromConfig(config);
    this.publicUrl = config.publicUrl.replace(/\/+$/, '');
    this.messageIdDomain = new URL(config.publicUrl).hostname || 'tessera';
  }

  async compose(job: MailJobData, now = new Date()): Promise<Composed> {
    if (job.kind === 'invitation' && new Date(job.expiresAt) <= now) {
      return { skipped: 'the invitation expired before it could be sent' };
    }
    const to = await this.recipient(job);
    const rendered = this.render(job, to);
    return {
      mail: {
        to,
        ...rendered,
        messageId: `<${job.eventId}@${this.messageIdDomain}>`,
        headers: { 'X-Tessera-Event-Id': job.eventId, 'Auto-Submitted': 'auto-generated' },
      },
    };
  }

  private async recipient(job: MailJobData): Promise<string> {
    if (!job.to.userId) {
      if (!job.to.email) throw new PermanentMailError('the e-mail has no recipient');
      return job.to.email;
    }
    try {
      const user = await this.rpc.request('tessera.identity.user.get', { userId: job.to.userId });
      if (!user.email) throw new PermanentMailError(`user ${job.to.userId} has no e-mail address`);
      return user.email;
    } catch (error) {
      if (error instanceof TesseraError && error.code === 'not_found') {
        throw new PermanentMailError(`user ${job.to.userId} was not found in identity`);
      }
      throw error;
    }
  }

  private render(job: MailJobData, to: string): RenderedMail {
    switch (job.kind) {
      case 'invitation':
        return invitationMail({
          email: to,
          teamName: job.teamName,
          role: job.role,
          previousRole: job.previousRole,
          invitedByName: job.invitedByName,
          acceptUrl: `${this.publicUrl}/invite/accept?token=${encodeURIComponent(this.openToken(job.sealedToken))}`,
          expiresAt: new Date(job.expiresAt),
        });
      case 'invitation-accepted':
        return invitationAcceptedMail(job);
      case 'role-changed':
        return roleChangedMail(job);
      case 'member-removed':
        return memberRemovedMail(job);
    }
  }

  /**
   * Tokens in flight (events, queued jobs) are never sealed again: opening them under any listed secret is enough,
   * since they are used once and expire within days.
   */
  private openToken(sealed: string): string {
    try {
      return this.keyring.open(INVITATION_TOKEN_PURPOSE, sealed).plaintext;
    } catch (error) {
      if (!(error instanceof SealedValueError)) throw error;
      throw new PermanentMailError(`cannot open the invitation token: ${error.message}`);
    }
  }
}
