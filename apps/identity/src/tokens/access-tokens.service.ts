import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { TokenGrant } from '@tessera/contracts';
import { CONFIG } from '@tessera/runtime';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { Session } from '../sessions/session.entity';
import { SigningKeysService } from './signing-keys.service';

export const ACCESS_TOKEN_AUDIENCE = 'tessera';

/** Short-lived EdDSA JWTs for a session: who (`sub`), which session (`sid`), and the default account (`acc`). */
@Injectable()
export class AccessTokensService {
  constructor(
    private readonly keys: SigningKeysService,
    @Inject(CONFIG) private readonly config: ServiceConfig,
  ) {}

  async grant(session: Session, refreshToken: string): Promise<TokenGrant> {
    const { kid, privateKey } = this.keys.activeKey();
    const claims = session.defaultAccountId
      ? { sid: session.id, acc: session.defaultAccountId }
      : { sid: session.id };
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid })
      .setIssuer(this.config.publicUrl)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setSubject(session.userId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.config.accessTokenTtlSeconds}s`)
      .sign(privateKey);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.config.accessTokenTtlSeconds,
      refresh_token: refreshToken,
    };
  }
}
