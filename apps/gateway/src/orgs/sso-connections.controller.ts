import { Body, Controller, Delete, Get, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  IsoDateTime,
  OrgCommand,
  RoleSchema,
  RpcClient,
  SsoConnectionInput,
  SsoConnectionInputSchema,
  SsoConnectionView,
  SsoConnectionViewSchema,
  SsoTestProfileSchema,
  TesseraError,
  Uuid,
} from '@tessera/contracts';
import { z } from 'zod';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { Endpoint, Errors } from '../http/endpoint';
import { OrgAccessGuard, OrgPath, OrgPermission, OrgRequest } from './org-access.guard';

const ConnectionPath = OrgPath.extend({ connectionId: Uuid });
const TestUrlSchema = z.object({
  testUrl: z
    .string()
    .meta({ description: "The IdP's sign-in URL carrying a test request; open it in a browser." }),
});

const ConnectionTestSchema = z
  .object({
    connectionId: Uuid,
    lastTest: z
      .object({
        testedAt: IsoDateTime,
        profile: SsoTestProfileSchema,
        teams: z.array(z.object({ teamId: Uuid, teamName: z.string().nullable(), role: RoleSchema })).meta({
          description:
            'Where the person would land, by the mappings at `testedAt` (`teamName: null`: no longer a team of the organization). Empty: nowhere, so they would be refused.',
        }),
      })
      .nullable()
      .meta({ description: '`null` until a test round trip comes back from the IdP.' }),
  })
  .meta({ id: 'SsoConnectionTest' });

const command = (request: OrgRequest): OrgCommand => ({
  organizationId: request.organization.id,
  actorUserId: request.principal.userId,
});

/** The organization's SAML connections (Org Admins): set up the IdP, map groups to teams, test, remove. */
@ApiTags('organizations')
@ApiBearerAuth()
@Errors({
  unauthenticated: 'No credential.',
  invalid_token: 'The token is invalid or expired.',
  not_found: 'No such organization or connection, or you are not one of its Org Admins.',
  forbidden: 'Only Org Admins may do this.',
})
@UseGuards(BearerAuthGuard, OrgAccessGuard)
@Controller('v1/orgs/:orgId/sso/connections')
export class SsoConnectionsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @OrgPermission('org.manage')
  @Endpoint({
    summary:
      'Creates a SAML connection from IdP metadata XML, or from entity id, SSO URL and certificate(s).',
    description:
      'The answer carries `serviceProvider`: the entity id and ACS URL to enter in the IdP. Mapped teams must ' +
      "be the organization's (`details` names each one that is not).",
    params: OrgPath,
    body: SsoConnectionInputSchema,
    response: SsoConnectionViewSchema,
    status: 201,
    errors: {
      domain_not_verified: 'Enabling sign-in needs a verified domain of the organization first.',
    },
  })
  create(@Req() request: OrgRequest, @Body() input: SsoConnectionInput): Promise<SsoConnectionView> {
    return this.rpc.request('tessera.identity.sso.connection.create', { ...command(request), input });
  }

  @Get()
  @OrgPermission('org.read')
  @Endpoint({
    summary: "The organization's SAML connections.",
    params: OrgPath,
    response: z.array(SsoConnectionViewSchema),
    status: 200,
  })
  list(@Req() request: OrgRequest): Promise<SsoConnectionView[]> {
    return this.rpc.request('tessera.identity.sso.connection.list', {
      organizationId: request.organization.id,
    });
  }

  @Patch(':connectionId')
  @OrgPermission('org.manage')
  @Endpoint({
    summary: "Changes a connection (e.g. adds the IdP's next certificate); fields left out stay.",
    params: ConnectionPath,
    body: SsoConnectionInputSchema,
    response: SsoConnectionViewSchema,
    status: 200,
    errors: {
      domain_not_verified: 'Enabling sign-in needs a verified domain of the organization first.',
    },
  })
  update(
    @Req() request: OrgRequest,
    @Param('connectionId') connectionId: string,
    @Body() input: SsoConnectionInput,
  ): Promise<SsoConnectionView> {
    return this.rpc.request('tessera.identity.sso.connection.update', {
      ...command(request),
      connectionId,
      input,
    });
  }

  @Delete(':connectionId')
  @OrgPermission('org.manage')
  @Endpoint({
    summary: 'Removes a connection: nobody signs in through it any more.',
    params: ConnectionPath,
    response: null,
    status: 204,
  })
  async delete(@Req() request: OrgRequest, @Param('connectionId') connectionId: string): Promise<void> {
    await this.rpc.request('tessera.identity.sso.connection.delete', { ...command(request), connectionId });
  }

  @Post(':connectionId/test')
  @OrgPermission('org.manage')
  @Endpoint({
    summary:
      '"Test connection": a URL that signs in at the IdP and shows the attributes received, provisioning no one.',
    params: ConnectionPath,
    response: TestUrlSchema,
    status: 200,
  })
  async test(
    @Req() request: OrgRequest,
    @Param('connectionId') connectionId: string,
  ): Promise<z.output<typeof TestUrlSchema>> {
    const connections = await this.list(request);
    const connection = connections.find((candidate) => candidate.id === connectionId);
    if (!connection) throw new TesseraError('not_found', 'The SSO connection was not found.');
    // The IdP's own URL, started here for the Org Admin: no public Tessera route redirects to an IdP that an
    // organization without a verified domain named (decision 013), and a test works before the connection is enabled.
    const { redirectUrl } = await this.rpc.request('tessera.identity.sso.start', {
      connectionId,
      returnTo: '/',
      purpose: 'test',
    });
    return { testUrl: redirectUrl };
  }

  @Get(':connectionId/test')
  @OrgPermission('org.manage')
  @Endpoint({
    summary:
      'The last "Test connection" round trip that came back: the attributes received and the teams the person would join.',
    description:
      'Only a valid assertion is kept (the last one); a refused response changes nothing here and ends like a real ' +
      'sign-in, with its reason in `sso.failed`. Compare `testedAt` with when the test was started.',
    params: ConnectionPath,
    response: ConnectionTestSchema,
    status: 200,
  })
  async lastTest(
    @Req() request: OrgRequest,
    @Param('connectionId') connectionId: string,
  ): Promise<z.output<typeof ConnectionTestSchema>> {
    const organizationId = request.organization.id;
    const [result, teams] = await Promise.all([
      this.rpc.request('tessera.identity.sso.connection.last-test', { organizationId, connectionId }),
      this.rpc.request('tessera.teams.org.teams', { organizationId }),
    ]);
    if (!result) return { connectionId, lastTest: null };
    const names = new Map(teams.map((team) => [team.id, team.name]));
    return {
      connectionId,
      lastTest: {
        testedAt: result.testedAt,
        profile: result.profile,
        teams: result.placements.map(({ teamId, role }) => ({
          teamId,
          teamName: names.get(teamId) ?? null,
          role,
        })),
      },
    };
  }
}
