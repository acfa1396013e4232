import { EVENTS_STREAM, INVITATION_TOKEN_PURPOSE, Role } from '@tessera/contracts';
import { Keyring } from '@tessera/runtime';
import { GitHubStandIn, eventually } from '@tessera/testing';
import { NatsConnection } from 'nats';
import request from 'supertest';
import { TestUser, signUp } from './users';

type Http = Parameters<typeof request>[0];

/**
 * People and teams made the way users make them: sign-in through the GitHub stand-in, `POST /v1/teams`, and an
 * invitation accepted with the link token that notifications would have e-mailed (read from the event stream).
 */
export class TeamFixtures {
  private emails = 0;

  constructor(
    private readonly http: Http,
    private readonly github: GitHubStandIn,
    private readonly nc: NatsConnection,
    private readonly secretKey: string,
  ) {}

  uniqueEmail(name: string): string {
    return `${name}.${(this.emails += 1)}@example.com`;
  }

  user(name: string): Promise<TestUser> {
    return signUp(this.http, this.github, this.uniqueEmail(name));
  }

  as(who: TestUser) {
    const bearer = (test: request.Test) => test.set('authorization', `Bearer ${who.token}`);
    return {
      get: (path: string) => bearer(request(this.http).get(path)),
      post: (path: string) => bearer(request(this.http).post(path)),
      patch: (path: string) => bearer(request(this.http).patch(path)),
      put: (path: string) => bearer(request(this.http).put(path)),
      delete: (path: string) => bearer(request(this.http).delete(path)),
    };
  }

  async createTeam(admin: TestUser, name = 'Research'): Promise<string> {
    const response = await this.as(admin).post('/v1/teams').send({ name }).expect(201);
    expect(response.body).toMatchObject({ kind: 'team', name, role: 'admin' });
    return response.body.id;
  }

  /** Invites a new person with `role` and has them (signed in with the invited e-mail) accept. */
  async addMember(admin: TestUser, teamId: string, role: Role, name: string): Promise<TestUser> {
    const email = this.uniqueEmail(name);
    const invitation = await this.as(admin)
      .post(`/v1/teams/${teamId}/invitations`)
      .send({ email, role })
      .expect(201);
    const member = await signUp(this.http, this.github, email);
    const token = await this.invitationToken(invitation.body.id);
    await this.as(member).post('/v1/invitations/accept').send({ token }).expect(200);
    return member;
  }

  /** The link token of an invitation, as notifications would open it from the event. */
  invitationToken(invitationId: string): Promise<string> {
    return eventually(async () => {
      for (const subject of [
        'tessera.events.teams.invitation.created',
        'tessera.events.teams.invitation.resent',
        'tessera.events.teams.invitation.role_updated',
      ]) {
        const event = await this.lastEvent<{ invitationId: string; sealedToken: string }>(subject);
        if (event?.data.invitationId === invitationId) {
          return new Keyring([this.secretKey]).open(INVITATION_TOKEN_PURPOSE, event.data.sealedToken)
            .plaintext;
        }
      }
      throw new Error(`no event for invitation ${invitationId} yet`);
    });
  }

  /** The newest event on a subject in the events stream, if there is one. */
  async lastEvent<T>(subject: string): Promise<{ data: T } | undefined> {
    const jsm = await this.nc.jetstreamManager();
    const message = await jsm.streams.getMessage(EVENTS_STREAM, { last_by_subj: subject }).catch(() => null);
    return message?.json<{ data: T }>();
  }
}
