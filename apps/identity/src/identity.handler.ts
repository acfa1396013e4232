import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  DeviceAuthorization,
  DeviceLookupReply,
  DevicePollReply,
  Jwks,
  RpcPayload,
  SessionRef,
  SessionView,
  SignInCompleteReply,
  SignInStartReply,
  TokenGrant,
  UserSummary,
  UserView,
} from '@tessera/contracts';
import { Rpc } from '@tessera/runtime';
import { DeviceLoginService } from './device/device-login.service';
import { SessionsService } from './sessions/sessions.service';
import { SignInService } from './signin/sign-in.service';
import { SigningKeysService } from './tokens/signing-keys.service';
import { UsersService } from './users/users.service';

/** The identity service's subjects: each hands its payload to one service method. */
@Controller()
export class IdentityHandler {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly keys: SigningKeysService,
    private readonly device: DeviceLoginService,
  ) {}

  @Rpc('tessera.identity.signin.start')
  start(@Payload() request: RpcPayload<'tessera.identity.signin.start'>): Promise<SignInStartReply> {
    return this.signIn.start(request);
  }

  @Rpc('tessera.identity.signin.complete')
  complete(@Payload() request: RpcPayload<'tessera.identity.signin.complete'>): Promise<SignInCompleteReply> {
    return this.signIn.complete(request);
  }

  @Rpc('tessera.identity.token.refresh')
  refresh(@Payload() { refreshToken }: RpcPayload<'tessera.identity.token.refresh'>): Promise<TokenGrant> {
    return this.sessions.refresh(refreshToken);
  }

  @Rpc('tessera.identity.session.resolve')
  resolve(@Payload() { refreshToken }: RpcPayload<'tessera.identity.session.resolve'>): Promise<SessionRef> {
    return this.sessions.resolve(refreshToken);
  }

  @Rpc('tessera.identity.session.revoke')
  revoke(
    @Payload() { sessionId, userId }: RpcPayload<'tessera.identity.session.revoke'>,
  ): Promise<SessionRef> {
    return this.sessions.revoke(sessionId, userId, userId ? 'revoked_by_user' : 'logout');
  }

  @Rpc('tessera.identity.session.list')
  listSessions(@Payload() { userId }: RpcPayload<'tessera.identity.session.list'>): Promise<SessionView[]> {
    return this.sessions.list(userId);
  }

  @Rpc('tessera.identity.user.get')
  user(@Payload() { userId }: RpcPayload<'tessera.identity.user.get'>): Promise<UserView> {
    return this.users.view(userId);
  }

  @Rpc('tessera.identity.user.get-many')
  userSummaries(
    @Payload() { userIds }: RpcPayload<'tessera.identity.user.get-many'>,
  ): Promise<UserSummary[]> {
    return this.users.summaries(userIds);
  }

  @Rpc('tessera.identity.identity.unlink')
  unlink(@Payload() { userId, provider }: RpcPayload<'tessera.identity.identity.unlink'>): Promise<UserView> {
    return this.users.unlink(userId, provider);
  }

  @Rpc('tessera.identity.jwks.get')
  jwks(@Payload() _request: RpcPayload<'tessera.identity.jwks.get'>): Jwks {
    return this.keys.publicKeys();
  }

  @Rpc('tessera.identity.device.create')
  createDevice(
    @Payload() { clientId }: RpcPayload<'tessera.identity.device.create'>,
  ): Promise<DeviceAuthorization> {
    return this.device.create(clientId);
  }

  @Rpc('tessera.identity.device.poll')
  poll(@Payload() request: RpcPayload<'tessera.identity.device.poll'>): Promise<DevicePollReply> {
    return this.device.poll(request);
  }

  @Rpc('tessera.identity.device.lookup')
  lookup(@Payload() { userCode }: RpcPayload<'tessera.identity.device.lookup'>): Promise<DeviceLookupReply> {
    return this.device.lookup(userCode);
  }

  @Rpc('tessera.identity.device.decide')
  decide(@Payload() request: RpcPayload<'tessera.identity.device.decide'>): Promise<DeviceLookupReply> {
    return this.device.decide(request);
  }
}
