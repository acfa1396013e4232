import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { CONFIG, deriveKey } from '@tessera/runtime';
import { createHmac } from 'node:crypto';
import { RateBudget, RateLimiter } from './rate-limiter';

const HOUR = 3600;
const DAY = 86_400;

/**
 * How many invitation e-mails go out: per inviting person and per team each hour, per recipient each day. Every
 * e-mail counts once in all three, all or nothing, before it is sent. Recipients are counted by a keyed hash of
 * their lower-cased address (HMAC under a key derived from the root secret): Redis keeps no address, not even one a
 * dictionary of addresses could recover from a plain hash.
 */
@Injectable()
export class InvitationLimits {
  private readonly perUser: RateBudget;
  private readonly perTeam: RateBudget;
  private readonly perRecipient: RateBudget;
  private readonly recipientKey: Buffer;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(CONFIG) config: GatewayConfig,
  ) {
    this.recipientKey = deriveKey(config.secretKey, 'gateway/invitation-recipients');
    this.perUser = {
      name: 'invitations:user',
      limit: config.invitationsPerUserHour,
      windowSeconds: HOUR,
      refusal: 'You sent too many invitations this hour.',
      withoutRedis: 'refuse',
    };
    this.perTeam = {
      name: 'invitations:team',
      limit: config.invitationsPerTeamHour,
      windowSeconds: HOUR,
      refusal: 'This team sent too many invitations this hour.',
      withoutRedis: 'refuse',
    };
    this.perRecipient = {
      name: 'invitations:recipient',
      limit: config.invitationsPerRecipientDay,
      windowSeconds: DAY,
      refusal: 'This address received too many invitations today.',
      withoutRedis: 'refuse',
    };
  }

  /**
   * Counts e-mails about to be sent by `userId` for `teamId` to `recipients` (one each), or refuses them all with
   * 429 `rate_limited`. Without Redis nothing is sent (503): e-mail must not go out unmetered.
   */
  async sending(userId: string, teamId: string, recipients: string[]): Promise<void> {
    const unique = [...new Set(recipients.map((email) => email.trim().toLowerCase()))];
    const cost = recipients.length;
    if (cost === 0) return;
    await this.limiter.consume([
      { budget: this.perUser, subject: userId, cost },
      { budget: this.perTeam, subject: teamId, cost },
      ...unique.map((email) => ({ budget: this.perRecipient, subject: this.recipientOf(email) })),
    ]);
  }

  private recipientOf(email: string): string {
    return createHmac('sha256', this.recipientKey).update(email).digest('base64url');
  }
}
