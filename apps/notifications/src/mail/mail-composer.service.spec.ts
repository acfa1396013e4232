import { allVariables, loadConfig } from '@tessera/config';
import { INVITATION_TOKEN_PURPOSE, RpcClient } from '@tessera/contracts';
import { Keyring } from '@tessera/runtime';
import { PermanentMailError } from './drivers/mail-driver';
import { MailComposer } from './mail-composer.service';
import { MailJobData } from './mail-job';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

/** An invitation e-mail as queued: the recipient by address, so no identity lookup is needed. */
function invitationJob(sealedToken: string): MailJobData {
  return {
    eventId: 'event-1',
    eventType: 'tessera.events.teams.invitation.created',
    subject: 'Join Research',
    to: { email: 'new@example.com' },
    kind: 'invitation',
    teamName: 'Research',
    role: 'developer',
    invitedByName: null,
    sealedToken,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  };
}

function composerWith(env: Record<string, string>): MailComposer {
  return new MailComposer({} as RpcClient, loadConfig(allVariables, env));
}

describe('MailComposer and the secret rotation', () => {
  it('opens an invitation token sealed under a previous secret (queued before the rotation)', async () => {
    const sealed = new Keyring([A]).seal(INVITATION_TOKEN_PURPOSE, 'the-token');
    const composer = composerWith({ TESSERA_SECRET_KEY: B, TESSERA_SECRET_KEY_PREVIOUS: A });
    const composed = await composer.compose(invitationJob(sealed));
    expect(JSON.stringify(composed)).toContain('token=the-token');
  });

  it('gives up for good, naming the variables, on a token sealed under a secret no longer listed', async () => {
    const sealed = new Keyring([C]).seal(INVITATION_TOKEN_PURPOSE, 'the-token');
    const compose = composerWith({ TESSERA_SECRET_KEY: B, TESSERA_SECRET_KEY_PREVIOUS: A }).compose(
      invitationJob(sealed),
    );
    await expect(compose).rejects.toThrow(PermanentMailError);
    await expect(compose).rejects.toThrow(/TESSERA_SECRET_KEY_PREVIOUS/);
  });
});
