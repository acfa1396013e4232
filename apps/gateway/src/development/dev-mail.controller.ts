import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { GatewayConfig, isLoopbackAddress, isLoopbackHost } from '@tessera/config';
import { CONFIG, caughtMail } from '@tessera/runtime';
import { Request, Response } from 'express';
import { z } from 'zod';
import { Endpoint } from '../http/endpoint';
import { devMailPage } from './dev-mail.page';

/**
 * `/dev/mail`: the e-mails the mail catcher of a first run took (registered only then). Only for this machine:
 * the socket's own address decides, never `X-Forwarded-For`, which a client writes itself. The `Host` must be a
 * loopback name too: a web page the developer opens could point a domain of its own at 127.0.0.1 (DNS
 * rebinding) and read the invitation links through their browser.
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
    const host = new URL(`http://${request.headers.host ?? 'unknown.invalid'}`).hostname;
    if (!isLoopbackAddress(request.socket.remoteAddress ?? '') || !isLoopbackHost(host))
      throw new NotFoundException('Cannot GET /dev/mail'); // as if it did not exist, like any unknown path
    const page = devMailPage(await caughtMail(this.directory));
    response.type('html').setHeader('cache-control', 'no-store');
    return page;
  }
}
