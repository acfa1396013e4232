import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundException } from '@nestjs/common';
import { GatewayConfig } from '@tessera/config';
import { Request, Response } from 'express';
import { DevMailController } from './dev-mail.controller';

describe('DevMailController', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tessera-dev-mail-spec-'));
  const controller = new DevMailController({ developmentMailDir: directory } as GatewayConfig);
  const response = { type: () => response, setHeader: () => response } as unknown as Response;
  const from = (remoteAddress: string, forwardedFor?: string, host = 'localhost:3000') =>
    ({
      socket: { remoteAddress },
      headers: { host, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      ip: forwardedFor ?? remoteAddress,
    }) as unknown as Request;

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('shows the caught e-mail to %s', async (address) => {
    await expect(controller.list(from(address), response)).resolves.toContain('Caught e-mail');
  });

  it('is not there for a page that points a name of its own at this machine (DNS rebinding)', async () => {
    await expect(
      controller.list(from('127.0.0.1', undefined, 'rebind.attacker.example:3000'), response),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      controller.list(from('127.0.0.1', undefined, '127.0.0.1:3000'), response),
    ).resolves.toContain('Caught e-mail');
  });

  it('is not there for another address, whatever X-Forwarded-For claims', async () => {
    await expect(controller.list(from('203.0.113.7', '127.0.0.1'), response)).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });
});
