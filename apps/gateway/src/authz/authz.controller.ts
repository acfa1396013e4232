import { Controller, Get, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  AuthzCheckReply,
  AuthzCheckReplySchema,
  AuthzCheckRequestSchema,
  PrincipalView,
  PrincipalViewSchema,
} from '@tessera/contracts';
import { Request } from 'express';
import { Endpoint } from '../http/endpoint';
import { CallerRequest, CredentialGuard } from './credential.guard';
import { DecisionPoint } from './decision-point';

@ApiTags('authz')
@Controller('v1')
export class AuthzController {
  constructor(private readonly decisions: DecisionPoint) {}

  @Post('authz/check')
  @Endpoint({
    summary:
      'The policy decision point over HTTP (the same as `tessera.authz.check` on NATS): may this credential do this action?',
    description:
      "Always 200 with a decision: `{ allow, reason?, message?, details?, principal? }`. Reasons: `invalid_credentials`, `scope_insufficient`, `forbidden`, `not_a_member`, `account_archived`, `unknown_action`, `validation_failed` (with `details`), `rate_limited`. Failed checks count against the address of the connection: `clientAddress` is honoured only on NATS, where trusted services relay their own client's address, and ignored here.",
    body: AuthzCheckRequestSchema,
    response: AuthzCheckReplySchema,
    status: 200,
    errors: {
      bad_request: 'The body is not JSON.',
      validation_failed: 'Never as an error: a check that is not valid is a 200 decision with this reason.',
      service_unavailable: 'No decision could be made.',
    },
  })
  check(@Req() request: Request): Promise<AuthzCheckReply> {
    // Read from the request, not with `@Body()`: the decision point answers an invalid check with a decision
    // (200, `validation_failed`), the same on HTTP as on NATS, where the route's pipe would answer 400.
    return this.decisions.check(request.body, { via: 'http', address: request.ip });
  }

  @Get('principal')
  @UseGuards(CredentialGuard)
  @ApiBearerAuth()
  @ApiSecurity('key')
  @Endpoint({
    summary: 'Who this credential is: the account, the actor (member or key) and how it authenticated.',
    response: PrincipalViewSchema,
    status: 200,
    errors: {
      unauthenticated: 'No credential.',
      invalid_credentials: 'The key is unknown, revoked or expired.',
      invalid_token: 'The token is invalid or expired.',
      not_a_member: 'The account asked for (`x-tessera-account`) is not yours.',
      account_archived: 'The account asked for was archived.',
      rate_limited: 'Too many failed credentials from this address.',
    },
  })
  principal(@Req() request: CallerRequest): PrincipalView {
    const { sessionId: _, ...view } = request.caller;
    return view;
  }
}
