import { Controller, INestMicroservice, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { NatsConnection } from 'nats';

/**
 * The module is built per run because the pattern carries the run's random subject prefix, and a decorator's
 * argument is fixed when the class is defined.
 */
function echoModule(pattern: string): Type<unknown> {
  @Controller()
  class EchoController {
    @MessagePattern(pattern)
    echo(@Payload() data: unknown): unknown {
      return data;
    }
  }

  @Module({ controllers: [EchoController] })
  class EchoModule {}

  return EchoModule;
}

/**
 * A bare Nest NATS microservice answering `pattern` with its input: no interceptors, filters or queue group,
 * so the figures are the cost of Nest's transport alone.
 */
export async function startNestEchoApp(servers: string[], pattern: string): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(echoModule(pattern), {
    transport: Transport.NATS,
    options: { servers, name: 'bench-nats-echo-nest-server' },
    // Nest's start-up lines would break up the report; problems still show.
    logger: ['error', 'warn'],
  });
  await app.listen();
  // listen() returns when SUB is written, not when the server has it; a round trip makes the first call safe.
  await app.unwrap<NatsConnection>().flush();
  return app;
}
