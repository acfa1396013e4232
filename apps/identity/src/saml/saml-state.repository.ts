import { Injectable } from '@nestjs/common';
import { constantTimeEqual, sha256 } from '@tessera/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { SamlPendingRequest, SamlRequestPurpose, SamlUsedAssertion } from './saml-state.entity';

export type AssertionRefusal = 'replayed' | 'unknown_request' | 'browser_mismatch';

/** What a request was started for; an IdP-initiated sign-in has none and lands on `/`. */
export interface RequestContext {
  purpose: SamlRequestPurpose;
  returnTo: string;
}
const UNSOLICITED: RequestContext = { purpose: 'signin', returnTo: '/' };

/**
 * SAML sign-in's memory in PostgreSQL, shared by every identity replica: pending AuthnRequests and used assertions.
 * Expired rows are deleted by identity's periodic sweep (`ExpiredRowsSweepJob`), so neither table grows without
 * bound; every read here checks expiry itself.
 */
@Injectable()
export class SamlStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Remembers an AuthnRequest sent for a connection, by the hash of its ID, until `expiresAt`. */
  async recordRequest(
    connectionId: string,
    requestId: string,
    expiresAt: Date,
    context: RequestContext,
  ): Promise<void> {
    await this.dataSource.manager.insert(SamlPendingRequest, {
      idHash: sha256(requestId),
      connectionId,
      expiresAt,
      ...context,
    });
  }

  /**
   * Records that a validated assertion signed someone in, and consumes the request it answers (`inResponseTo`,
   * absent for an IdP-initiated response), in one transaction: either both happen or neither does, so a refused
   * attempt (a replay, an answer to someone else's request) leaves the genuine request pending. Two identical
   * posts at once serialise on the assertions' primary key: one is accepted, the other is `replayed`.
   * A sign-in request must come back to the browser that started it: `binding` is what that browser's cookie
   * holds (`requestBinding`); a response posted from any other browser is `browser_mismatch` and changes nothing.
   * "Test connection" requests are started through the API by an Org Admin and sign nobody in: no binding.
   */
  async useAssertion(use: {
    connectionId: string;
    assertionId: string;
    acceptableUntil: Date;
    inResponseTo: string | undefined;
    binding: string | undefined;
  }): Promise<RequestContext | AssertionRefusal> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (!(await this.rememberAssertion(manager, use))) throw new Refusal('replayed');
        if (use.inResponseTo === undefined) return UNSOLICITED;
        const request = await this.consumeRequest(manager, use.connectionId, use.inResponseTo);
        if (!request) throw new Refusal('unknown_request'); // and the assertion's row goes with the rollback
        const bound =
          use.binding !== undefined && constantTimeEqual(use.binding, requestBinding(use.inResponseTo));
        if (request.purpose === 'signin' && !bound) throw new Refusal('browser_mismatch'); // the request stays
        return request;
      });
    } catch (error) {
      if (error instanceof Refusal) return error.use;
      throw error;
    }
  }

  /** False when the assertion was used already on this connection. */
  private async rememberAssertion(
    manager: EntityManager,
    {
      connectionId,
      assertionId,
      acceptableUntil,
    }: { connectionId: string; assertionId: string; acceptableUntil: Date },
  ): Promise<boolean> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(SamlUsedAssertion)
      .values({ connectionId, assertionId, expiresAt: acceptableUntil })
      .orIgnore()
      .returning('assertion_id')
      .execute();
    return (inserted.raw as unknown[]).length === 1;
  }

  /** Deletes the pending request if it is this connection's and unexpired, answering what it was for. */
  private async consumeRequest(
    manager: EntityManager,
    connectionId: string,
    requestId: string,
  ): Promise<RequestContext | undefined> {
    const rows = (await manager.query(
      `DELETE FROM identity.saml_requests
        WHERE id_hash = $1 AND connection_id = $2 AND expires_at > now()
        RETURNING purpose, return_to`,
      [sha256(requestId), connectionId],
    )) as [{ purpose: SamlRequestPurpose; return_to: string }[], number];
    const row = rows[0][0];
    return row ? { purpose: row.purpose, returnTo: row.return_to } : undefined;
  }
}

/**
 * What the browser that starts a sign-in keeps in a cookie (the gateway sets it) to prove the answer is its own:
 * the SHA-256 of the AuthnRequest ID, so the cookie holds nothing the IdP's redirect did not already show.
 */
export function requestBinding(requestId: string): string {
  return sha256(requestId);
}

/** Thrown inside the transaction so that a refused use rolls back whatever it wrote. */
class Refusal extends Error {
  constructor(readonly use: AssertionRefusal) {
    super(use);
  }
}
