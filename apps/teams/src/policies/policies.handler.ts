import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  EffectivePolicyView,
  OrganizationPolicy,
  PolicyCommand,
  PolicySettings,
  PolicyView,
} from '@tessera/contracts';
import { PoliciesService } from './policies.service';

/** Policy subjects. The gateway has checked that the actor may manage the account. */
@Controller()
export class PoliciesHandler {
  constructor(private readonly policies: PoliciesService) {}

  @MessagePattern('tessera.teams.policy.get')
  get(@Payload() { accountId }: { accountId: string }): Promise<EffectivePolicyView> {
    return this.policies.get(accountId);
  }

  @MessagePattern('tessera.teams.policy.set')
  set(@Payload() command: PolicyCommand): Promise<EffectivePolicyView> {
    return this.policies.set(command);
  }

  @MessagePattern('tessera.teams.policy.versions')
  versions(@Payload() { accountId }: { accountId: string }): Promise<PolicyView[]> {
    return this.policies.versions(accountId);
  }

  @MessagePattern('tessera.teams.policy.for-user')
  forUser(@Payload() { userId }: { userId: string }): Promise<PolicySettings> {
    return this.policies.forUser(userId);
  }

  @MessagePattern('tessera.teams.policy.organizations-for-user')
  organizationsFor(@Payload() { userId }: { userId: string }): Promise<OrganizationPolicy[]> {
    return this.policies.organizationsFor(userId);
  }
}
