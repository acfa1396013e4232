import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import {
  DeviceAuthorization,
  DeviceDecisionRequest,
  DeviceLookupReply,
  DevicePollReply,
  DevicePollRequest,
} from '@tessera/contracts';
import { violatesUnique } from '@tessera/persistence';
import { CONFIG, randomToken, sha256 } from '@tessera/runtime';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { IdentityErrors } from '../identity.errors';
import { SessionsService } from '../sessions/sessions.service';
import { DeviceGrant } from './device-grant.entity';

/** Consonants without look-alikes (no vowels, so no words; no I/O/0/1): RFC 8628 §6.1. 20^8 ≈ 2^34.6 codes. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const EXPIRES_IN_SECONDS = 600;
const INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;
/** A collision with a pending code is a 1-in-2^34 event per pending grant: a few draws always suffice. */
const USER_CODE_DRAWS = 5;

/**
 * OAuth 2.0 Device Authorization Grant (RFC 8628) for the CLI: the CLI gets a device code and shows a user code;
 * the person approves it in the browser (choosing the account the CLI will act for); the CLI's polling then
 * receives tokens once. Device codes are stored as hashes; a grant gives tokens exactly once.
 */
@Injectable()
export class DeviceLoginService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    @Inject(CONFIG) private readonly config: ServiceConfig,
  ) {}

  async create(clientId?: string): Promise<DeviceAuthorization> {
    const deviceCode = randomToken(32);
    const userCode = await this.insertPending(sha256(deviceCode), clientId ?? null);
    const display = `${userCode.slice(0, 4)}-${userCode.slice(4)}`;
    const verification = new URL('/device', this.config.publicUrl);
    const complete = new URL(verification);
    complete.searchParams.set('user_code', display);
    return {
      device_code: deviceCode,
      user_code: display,
      verification_uri: verification.toString(),
      verification_uri_complete: complete.toString(),
      expires_in: EXPIRES_IN_SECONDS,
      interval: INTERVAL_SECONDS,
    };
  }

  async poll({ deviceCode, client }: DevicePollRequest): Promise<DevicePollReply> {
    return this.dataSource.transaction(async (manager) => {
      const grant = await manager.findOne(DeviceGrant, {
        where: { deviceCodeHash: sha256(deviceCode) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!grant || grant.status === 'used') return { error: 'invalid_grant' as const };
      const now = new Date();
      if (grant.expiresAt <= now) return { error: 'expired_token' as const };
      if (grant.status === 'denied') return { error: 'access_denied' as const };

      const tooSoon =
        grant.lastPolledAt && now.getTime() - grant.lastPolledAt.getTime() < grant.intervalSeconds * 1000;
      grant.lastPolledAt = now;
      if (tooSoon) {
        // RFC 8628 §3.5: each slow_down adds 5 s to the interval the client must keep from now on.
        grant.intervalSeconds += SLOW_DOWN_STEP_SECONDS;
        await manager.save(grant);
        return { error: 'slow_down' as const };
      }
      if (grant.status === 'pending') {
        await manager.save(grant);
        return { error: 'authorization_pending' as const };
      }
      grant.status = 'used';
      await manager.save(grant);
      return {
        grant: await this.sessions.grantFor(manager, grant.userId!, client, {
          defaultAccountId: grant.accountId ?? undefined,
          signedInAt: grant.signedInAt ?? undefined,
        }),
      };
    });
  }

  async lookup(userCode: string): Promise<DeviceLookupReply> {
    return this.view(await this.find(userCode));
  }

  /**
   * Approves or denies a pending code for the user of `sessionId`. Approval needs a session the user's policies
   * still allow, and hands its sign-in time on: a device login never restarts `sessions.maxAgeHours`.
   */
  async decide({
    userCode,
    userId,
    sessionId,
    approve,
    accountId,
  }: DeviceDecisionRequest): Promise<DeviceLookupReply> {
    const signedInAt = approve ? await this.sessions.signedInAt(sessionId, userId) : null;
    return this.dataSource.transaction(async (manager) => {
      // Only a pending grant can be decided; an older grant that once had the same code is no concern of this one.
      const grant = await manager.findOne(DeviceGrant, {
        where: { userCode: normalize(userCode), status: 'pending' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!grant || grant.status !== 'pending' || grant.expiresAt <= new Date())
        throw IdentityErrors.invalidUserCode();
      grant.status = approve ? 'approved' : 'denied';
      grant.userId = userId;
      grant.accountId = approve ? (accountId ?? null) : null;
      grant.signedInAt = signedInAt;
      await manager.save(grant);
      return this.view(grant);
    });
  }

  /**
   * Inserts a pending grant under a fresh user code. Codes are unique among pending grants only (a partial unique
   * index), so a code that collides with one still pending is drawn again; an old, decided grant may share it.
   */
  private async insertPending(deviceCodeHash: string, clientId: string | null): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      const userCode = Array.from(
        { length: 8 },
        () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)],
      ).join('');
      try {
        await this.dataSource.getRepository(DeviceGrant).insert({
          id: uuidv7(),
          deviceCodeHash,
          userCode,
          clientId,
          status: 'pending',
          intervalSeconds: INTERVAL_SECONDS,
          expiresAt: new Date(Date.now() + EXPIRES_IN_SECONDS * 1000),
        });
        return userCode;
      } catch (error) {
        if (attempt >= USER_CODE_DRAWS || !violatesUnique(error, 'device_grants_pending_user_code'))
          throw error;
      }
    }
  }

  /** The pending grant with this code if there is one, else the newest that had it (to show its outcome). */
  private async find(userCode: string): Promise<DeviceGrant> {
    const grant = await this.dataSource
      .getRepository(DeviceGrant)
      .createQueryBuilder('g')
      .where('g.user_code = :code', { code: normalize(userCode) })
      .orderBy(`g.status = 'pending'`, 'DESC')
      .addOrderBy('g.created_at', 'DESC')
      .getOne();
    if (!grant || grant.expiresAt <= new Date()) throw IdentityErrors.invalidUserCode();
    return grant;
  }

  private view(grant: DeviceGrant): DeviceLookupReply {
    return {
      userCode: `${grant.userCode.slice(0, 4)}-${grant.userCode.slice(4)}`,
      status: grant.status,
      expiresAt: grant.expiresAt.toISOString(),
    };
  }
}

/** People type codes in any case, with or without the dash. */
function normalize(userCode: string): string {
  return userCode.toUpperCase().replace(/[^A-Z]/g, '');
}
