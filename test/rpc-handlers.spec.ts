import { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { MODULE_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RpcParamtype } from '@nestjs/microservices/enums/rpc-paramtype.enum';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { allVariables, loadConfig } from '@tessera/config';
import { RPC_SCHEMAS, SERVICES, serviceOfSubject } from '@tessera/contracts';
import { createLogger } from '@tessera/runtime';
import { GatewayModule } from '../apps/gateway/src/gateway.module';
import { databaseServices } from '../tools/service-definitions';

type Imported = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

interface Handler {
  subject: string;
  handler: string;
  takesPayload: boolean;
}

/** Every NATS handler of a module and of the modules it imports, as Nest would find them when it starts. */
async function handlersOf(root: Imported, seen = new Set<unknown>()): Promise<Handler[]> {
  const module = await root;
  if ('forwardRef' in module) return handlersOf(module.forwardRef() as Imported, seen);
  const type = 'module' in module ? module.module : module;
  const key = 'module' in module ? module : type;
  if (seen.has(key)) return [];
  seen.add(key);
  const metadata = <T>(name: string): T[] => (Reflect.getMetadata(name, type) as T[] | undefined) ?? [];
  const dynamic: Partial<DynamicModule> = 'module' in module ? module : {};
  const controllers = [...metadata<Type>(MODULE_METADATA.CONTROLLERS), ...(dynamic.controllers ?? [])];
  const imports = [...metadata<Imported>(MODULE_METADATA.IMPORTS), ...(dynamic.imports ?? [])];
  const nested = await Promise.all(imports.map((imported) => handlersOf(imported, seen)));
  return [...controllers.flatMap(handlersOfController), ...nested.flat()];
}

function handlersOfController(controller: Type): Handler[] {
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((method) => {
    const patterns = Reflect.getMetadata(PATTERN_METADATA, prototype[method] as object) as
      unknown[] | undefined;
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<
      string,
      unknown
    >;
    const takesPayload = Object.keys(args).some((arg) => arg.startsWith(`${RpcParamtype.PAYLOAD}:`));
    return (patterns ?? []).map((subject) => ({
      subject: String(subject),
      handler: `${controller.name}.${method}`,
      takesPayload,
    }));
  });
}

describe('NATS handlers and the contract map', () => {
  let handlers: Handler[];

  beforeAll(async () => {
    const config = loadConfig(allVariables, { TESSERA_SECRET_KEY: 'only-to-build-the-module-tree-0000000' });
    const logger = createLogger('rpc-handlers-spec', 'silent');
    const modules = [
      GatewayModule.forRoot(config, logger),
      ...databaseServices.map((service) => service.moduleFor(config, logger)),
    ];
    handlers = (await Promise.all(modules.map((module) => handlersOf(module)))).flat();
  });

  it('finds the handlers of every service', () => {
    expect(new Set(handlers.map(({ subject }) => serviceOfSubject(subject)))).toEqual(new Set(SERVICES));
  });

  it('answers every subject of RPC_SCHEMAS with exactly one handler, which takes the payload', () => {
    for (const subject of Object.keys(RPC_SCHEMAS)) {
      const answering = handlers.filter((handler) => handler.subject === subject);
      expect({ subject, handlers: answering.map(({ handler }) => handler) }).toEqual({
        subject,
        handlers: [expect.any(String)],
      });
      // `@Rpc` validates with a pipe, which runs on the handler's arguments only: no payload argument, no check.
      expect({ subject, takesPayload: answering[0].takesPayload }).toEqual({ subject, takesPayload: true });
    }
  });

  it('answers no subject that RPC_SCHEMAS does not describe', () => {
    const undescribed = handlers
      .map(({ subject }) => subject)
      .filter((subject) => !Object.hasOwn(RPC_SCHEMAS, subject));
    expect(undescribed).toEqual([]);
  });
});
