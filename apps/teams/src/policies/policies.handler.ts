import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  EffectivePolicyView,
  OrganizationPolicy,
  PolicySettings,
  PolicyView,
  RpcPayload,
} from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
import { PoliciesService } from './policies.service';

/** Policy subjects. The gateway has checked that the actor may manage the account. */
@Controller()
export class PoliciesHandler {
  constructor(private readonly policies: PoliciesService) {}

  @Rpc('tessera.teams.policy.get')
  get(@Payload() { accountId }: RpcPayload<'tessera.teams.policy.get'>): Promise<EffectivePolicyView> {
    return this.policies.get(accountId);
  }

  @Rpc('tessera.teams.policy.set')
  set(@Payload() command: RpcPayload<'tessera.teams.policy.set'>): Promise<EffectivePolicyView> {
    return this.policies.set(command);
  }

  @Rpc('tessera.teams.policy.versions')
  versions(@Payload() { accountId }: RpcPayload<'tessera.teams.policy.versions'>): Promise<PolicyView[]> {
    return this.policies.versions(accountId);
  }

  @Rpc('tessera.teams.policy.for-user')
  forUser(@Payload() { userId }: RpcPayload<'tessera.teams.policy.for-user'>): Promise<PolicySettings> {
    return this.policies.forUser(userId);
  }

  @Rpc('tessera.teams.policy.organizations-for-user')
  organizationsFor(
    @Payload() { userId }: RpcPayload<'tessera.teams.policy.organizations-for-user'>,
  ): Promise<OrganizationPolicy[]> {
    return this.policies.organizationsFor(userId);
  }
}
