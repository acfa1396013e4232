import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DeviceAuthorization,
  DeviceDecisionRequest,
  DeviceLookupReply,
  DevicePollReply,
  DevicePollRequest,
  Jwks,
  RefreshRequest,
  RevokeSessionRequest,
  SessionRef,
  SessionView,
  SignInCompleteReply,
  SignInCompleteRequest,
  SignInStartReply,
  SignInStartRequest,
  TokenGrant,
  UserSummary,
  UserView,
} from '@tessera/contracts';
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

  @MessagePattern('tessera.identity.signin.start')
  start(@Payload() request: SignInStartRequest): Promise<SignInStartReply> {
    return this.signIn.start(request);
  }

  @MessagePattern('tessera.identity.signin.complete')
  complete(@Payload() request: SignInCompleteRequest): Promise<SignInCompleteReply> {
    return this.signIn.complete(request);
  }

  @MessagePattern('tessera.identity.token.refresh')
  refresh(@Payload() { refreshToken }: RefreshRequest): Promise<TokenGrant> {
    return this.sessions.refresh(refreshToken);
  }

  @MessagePattern('tessera.identity.session.resolve')
  resolve(@Payload() { refreshToken }: RefreshRequest): Promise<SessionRef> {
    return this.sessions.resolve(refreshToken);
  }

  @MessagePattern('tessera.identity.session.revoke')
  revoke(@Payload() { sessionId, userId }: RevokeSessionRequest): Promise<SessionRef> {
    return this.sessions.revoke(sessionId, userId, userId ? 'revoked_by_user' : 'logout');
  }

  @MessagePattern('tessera.identity.session.list')
  listSessions(@Payload() { userId }: { userId: string }): Promise<SessionView[]> {
    return this.sessions.list(userId);
  }

  @MessagePattern('tessera.identity.user.get')
  user(@Payload() { userId }: { userId: string }): Promise<UserView> {
    return this.users.view(userId);
  }

  @MessagePattern('tessera.identity.user.get-many')
  userSummaries(@Payload() { userIds }: { userIds: string[] }): Promise<UserSummary[]> {
    return this.users.summaries(Array.isArray(userIds) ? userIds.slice(0, 1000) : []);
  }

  @MessagePattern('tessera.identity.identity.unlink')
  unlink(@Payload() { userId, provider }: { userId: string; provider: string }): Promise<UserView> {
    return this.users.unlink(userId, provider);
  }

  @MessagePattern('tessera.identity.jwks.get')
  jwks(): Jwks {
    return this.keys.publicKeys();
  }

  @MessagePattern('tessera.identity.device.create')
  createDevice(@Payload() { clientId }: { clientId?: string }): Promise<DeviceAuthorization> {
    return this.device.create(clientId);
  }

  @MessagePattern('tessera.identity.device.poll')
  poll(@Payload() request: DevicePollRequest): Promise<DevicePollReply> {
    return this.device.poll(request);
  }

  @MessagePattern('tessera.identity.device.lookup')
  lookup(@Payload() { userCode }: { userCode: string }): Promise<DeviceLookupReply> {
    return this.device.lookup(userCode);
  }

  @MessagePattern('tessera.identity.device.decide')
  decide(@Payload() request: DeviceDecisionRequest): Promise<DeviceLookupReply> {
    return this.device.decide(request);
  }
}
