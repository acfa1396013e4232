import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { GatewayConfig, isLoopbackAddress } from '@tessera/config';
import { CONFIG, caughtMail } from '@tessera/runtime';
import { Request, Response } from 'express';
import { z } from 'zod';
import { Endpoint } from '../http/endpoint';
import { devMailPage } from './dev-mail.page';

/**
 * `/dev/mail`: the e-mails the mail catcher of a first run took (registered only then). Only for this machine:
 * the socket's own address decides, never `X-Forwarded-For`, which a client writes itself.
 */
@ApiExcludeController()
@Controller('dev/mail')
export class DevMailController {
  private readonly directory: string;

  constructor(@Inject(CONFIG) config: GatewayConfig) {
    this.directory = config.developmentMailDir!;
  }

  @Get()
  @Endpoint({ response: z.string(), produces: 'text/html', status: 200, summary: 'Caught e-mail.' })
  async list(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<string> {
    if (!isLoopbackAddress(request.socket.remoteAddress ?? ''))
      throw new NotFoundException('Cannot GET /dev/mail'); // as if it did not exist, like any unknown path
    const page = devMailPage(await caughtMail(this.directory));
    response.type('html').setHeader('cache-control', 'no-store');
    return page;
  }
}
