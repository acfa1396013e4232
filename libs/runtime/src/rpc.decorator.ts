import { ArgumentMetadata, PipeTransform, UsePipes, applyDecorators } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RPC_SCHEMAS, RpcPayload, RpcReply, RpcSubject, parseOrThrow } from '@tessera/contracts';

/** A responder's handler for `S`: takes the parsed request, answers the subject's reply type. */
type RpcHandler<S extends RpcSubject> = (
  payload: RpcPayload<S>,
  ...context: never[]
) => RpcReply<S> | Promise<RpcReply<S>>;

/**
 * Answers `subject` with the decorated method, whose payload and reply types come from the subject's entry in
 * `RPC_SCHEMAS`: a handler that takes or answers the wrong shape does not compile. The payload is validated by
 * the subject's request schema before the handler runs (after the command-token guard): a caller on the bus
 * gets the same `validation_failed`, with field paths, as an HTTP caller. Unknown fields are refused, not dropped.
 */
export function Rpc<S extends RpcSubject>(subject: S) {
  const decorate = applyDecorators(MessagePattern(subject), UsePipes(new RpcPayloadPipe(subject)));
  return <H extends RpcHandler<S>>(
    target: object,
    method: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): void => decorate(target, method, descriptor);
}

class RpcPayloadPipe<S extends RpcSubject> implements PipeTransform {
  constructor(private readonly subject: S) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    return parseOrThrow(RPC_SCHEMAS[this.subject].request, value);
  }
}
