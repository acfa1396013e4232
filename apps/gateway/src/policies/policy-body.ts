import { PolicyCommand, PolicyCommandSchema, PolicyVersionSchema } from '@tessera/contracts';
import { z } from 'zod';

/** A policy write as a client sends it: the whole document, and the version it read. */
export const PutPolicyBody = PolicyCommandSchema.pick({ settings: true })
  .extend({
    version: PolicyVersionSchema.optional().meta({
      description: 'The version you read; refused with `version_conflict` if it moved on.',
    }),
  })
  .meta({ id: 'PutPolicyBody' });
export type PutPolicyBody = z.output<typeof PutPolicyBody>;

export function policyCommand(
  accountId: string,
  actorUserId: string,
  { settings, version }: PutPolicyBody,
): PolicyCommand {
  return { accountId, actorUserId, settings, expectedVersion: version };
}
