import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AuthzCheckReply, PrincipalView } from '@tessera/contracts';
import { Request } from 'express';
import { ErrorEnvelope } from '../http/error-envelope';
import { CallerRequest, CredentialGuard } from './credential.guard';
import { DecisionPoint } from './decision-point';

@ApiTags('authz')
@Controller('v1')
export class AuthzController {
  constructor(private readonly decisions: DecisionPoint) {}

  @Post('authz/check')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The policy decision point over HTTP (the same as `tessera.authz.check` on NATS): may this credential do this action?',
    description:
      "Always 200 with a decision: `{ allow, reason?, message?, principal? }`. Reasons: `invalid_credentials`, `scope_insufficient`, `forbidden`, `not_a_member`, `account_archived`, `unknown_action`, `validation_failed`, `rate_limited`. Failed checks count against the address of the connection: `clientAddress` is honoured only on NATS, where trusted services relay their own client's address, and ignored here.",
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['authorization', 'action'],
      properties: {
        authorization: { type: 'string', example: 'Key tsk_…' },
        action: { type: 'string', example: 'models.call' },
        account: { type: 'string', format: 'uuid' },
        record: { type: 'boolean' },
      },
    },
  })
  @ApiResponse({
    status: 503,
    type: ErrorEnvelope,
    description: '`service_unavailable`: no decision could be made.',
  })
  check(@Req() request: Request, @Body() body: unknown): Promise<AuthzCheckReply> {
    return this.decisions.check(body, { via: 'http', address: request.ip });
  }

  @Get('principal')
  @UseGuards(CredentialGuard)
  @ApiBearerAuth()
  @ApiSecurity('key')
  @ApiOperation({
    summary: 'Who this credential is: the account, the actor (member or key) and how it authenticated.',
  })
  @ApiResponse({
    status: 401,
    type: ErrorEnvelope,
    description: '`unauthenticated`, `invalid_credentials`, `invalid_token`.',
  })
  principal(@Req() request: CallerRequest): PrincipalView {
    const { sessionId: _, ...view } = request.caller;
    return view;
  }
}
