import { Injectable } from '@nestjs/common';
import { RpcClient } from '@tessera/contracts';

export const HOUR_MS = 3600_000;

/**
 * `sessions.maxAgeHours`, the sessions part of org policies: a session ends that many hours after sign-in,
 * under the tightest policy of every organization its user belongs to (teams cannot set it).
 */
@Injectable()
export class SessionPolicy {
  constructor(private readonly rpc: RpcClient) {}

  async allows(userId: string, signedInAt: Date): Promise<boolean> {
    const policy = await this.rpc.request('tessera.teams.policy.for-user', { userId });
    const hours = policy['sessions.maxAgeHours'];
    return !hours || signedInAt.getTime() + hours * HOUR_MS > Date.now();
  }
}
