import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ClientInfo,
  SsoCompleteReply,
  SsoConnectionCommand,
  SsoConnectionInput,
  SsoConnectionView,
  SsoPurpose,
  SsoSignedIn,
} from '@tessera/contracts';
import { SsoConnectionsService } from './sso-connections.service';
import { SsoSignInService } from './sso-sign-in.service';

/** SSO subjects: connections (the gateway has checked the actor is an Org Admin) and the sign-in round trip. */
@Controller()
export class SsoHandler {
  constructor(
    private readonly connections: SsoConnectionsService,
    private readonly signIn: SsoSignInService,
  ) {}

  @MessagePattern('tessera.identity.sso.connection.create')
  create(
    @Payload() command: SsoConnectionCommand & { input: SsoConnectionInput },
  ): Promise<SsoConnectionView> {
    return this.connections.create(command);
  }

  @MessagePattern('tessera.identity.sso.connection.update')
  update(
    @Payload() command: SsoConnectionCommand & { connectionId: string; input: SsoConnectionInput },
  ): Promise<SsoConnectionView> {
    return this.connections.update(command);
  }

  @MessagePattern('tessera.identity.sso.connection.delete')
  delete(@Payload() command: SsoConnectionCommand & { connectionId: string }): Promise<{ deleted: true }> {
    return this.connections.delete(command);
  }

  @MessagePattern('tessera.identity.sso.connection.list')
  list(@Payload() { organizationId }: { organizationId: string }): Promise<SsoConnectionView[]> {
    return this.connections.list(organizationId);
  }

  @MessagePattern('tessera.identity.sso.metadata')
  metadata(@Payload() { connectionId }: { connectionId: string }): Promise<{ xml: string }> {
    return this.signIn.metadata(connectionId);
  }

  @MessagePattern('tessera.identity.sso.start')
  start(
    @Payload()
    { connectionId, returnTo, purpose }: { connectionId: string; returnTo: string; purpose: SsoPurpose },
  ): Promise<{ redirectUrl: string; binding: string }> {
    return this.signIn.start(connectionId, returnTo, purpose);
  }

  @MessagePattern('tessera.identity.sso.complete')
  complete(
    @Payload()
    {
      connectionId,
      samlResponse,
      client,
      binding,
    }: {
      connectionId: string;
      samlResponse: string;
      client: ClientInfo;
      binding?: string;
    },
  ): Promise<SsoCompleteReply> {
    return this.signIn.complete(connectionId, samlResponse, client, binding);
  }

  @MessagePattern('tessera.identity.sso.link.confirm')
  confirmLink(
    @Payload() { linkToken, client }: { linkToken: string; client: ClientInfo },
  ): Promise<SsoSignedIn> {
    return this.signIn.confirmLink(linkToken, client);
  }

  @MessagePattern('tessera.identity.sso.discover')
  discover(@Payload() { email }: { email: string }): Promise<{ loginUrl: string | null }> {
    return this.signIn.discover(email);
  }
}
