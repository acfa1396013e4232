import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  RpcPayload,
  SsoCompleteReply,
  SsoConnectionView,
  SsoSignedIn,
  SsoTestResult,
} from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
import { SsoConnectionsService } from './sso-connections.service';
import { SsoSignInService } from './sso-sign-in.service';

/** SSO subjects: connections (the gateway has checked the actor is an Org Admin) and the sign-in round trip. */
@Controller()
export class SsoHandler {
  constructor(
    private readonly connections: SsoConnectionsService,
    private readonly signIn: SsoSignInService,
  ) {}

  @Rpc('tessera.identity.sso.connection.create')
  create(
    @Payload() command: RpcPayload<'tessera.identity.sso.connection.create'>,
  ): Promise<SsoConnectionView> {
    return this.connections.create(command);
  }

  @Rpc('tessera.identity.sso.connection.update')
  update(
    @Payload() command: RpcPayload<'tessera.identity.sso.connection.update'>,
  ): Promise<SsoConnectionView> {
    return this.connections.update(command);
  }

  @Rpc('tessera.identity.sso.connection.delete')
  delete(
    @Payload() command: RpcPayload<'tessera.identity.sso.connection.delete'>,
  ): Promise<{ deleted: true }> {
    return this.connections.delete(command);
  }

  @Rpc('tessera.identity.sso.connection.list')
  list(
    @Payload() { organizationId }: RpcPayload<'tessera.identity.sso.connection.list'>,
  ): Promise<SsoConnectionView[]> {
    return this.connections.list(organizationId);
  }

  @Rpc('tessera.identity.sso.connection.last-test')
  lastTest(
    @Payload() { organizationId, connectionId }: RpcPayload<'tessera.identity.sso.connection.last-test'>,
  ): Promise<SsoTestResult | null> {
    return this.connections.lastTest(organizationId, connectionId);
  }

  @Rpc('tessera.identity.sso.metadata')
  metadata(
    @Payload() { connectionId }: RpcPayload<'tessera.identity.sso.metadata'>,
  ): Promise<{ xml: string }> {
    return this.signIn.metadata(connectionId);
  }

  @Rpc('tessera.identity.sso.start')
  start(
    @Payload() { connectionId, returnTo, purpose }: RpcPayload<'tessera.identity.sso.start'>,
  ): Promise<{ redirectUrl: string; binding: string }> {
    return this.signIn.start(connectionId, returnTo, purpose);
  }

  @Rpc('tessera.identity.sso.complete')
  complete(
    @Payload() { connectionId, samlResponse, client, binding }: RpcPayload<'tessera.identity.sso.complete'>,
  ): Promise<SsoCompleteReply> {
    return this.signIn.complete(connectionId, samlResponse, client, binding);
  }

  @Rpc('tessera.identity.sso.link.confirm')
  confirmLink(
    @Payload() { linkToken, client }: RpcPayload<'tessera.identity.sso.link.confirm'>,
  ): Promise<SsoSignedIn> {
    return this.signIn.confirmLink(linkToken, client);
  }

  @Rpc('tessera.identity.sso.discover')
  discover(
    @Payload() { email }: RpcPayload<'tessera.identity.sso.discover'>,
  ): Promise<{ loginUrl: string | null }> {
    return this.signIn.discover(email);
  }
}
