import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { TesseraError } from '@tessera/contracts';
import { Request, Response } from 'express';
import { Observable } from 'rxjs';

/**
 * Refuses a multipart upload by its declared size, before a byte of it is read. Multer's limits stop what it keeps
 * in memory, but it still reads (and drops) the rest of a refused form before answering, so a form of a gigabyte
 * would be received whole. This answers at once and closes the connection instead; a multipart body without a
 * `Content-Length` (chunked) is refused, since its size cannot be known up front. Other bodies pass untouched.
 */
export class MultipartLengthInterceptor implements NestInterceptor {
  constructor(private readonly maxBytes: number) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.is('multipart')) return next.handle();
    const declared = request.header('content-length');
    const length = declared === undefined ? NaN : Number(declared);
    if (Number.isSafeInteger(length) && length <= this.maxBytes) return next.handle();
    // The unread body must not be drained: closing the connection is what makes the refusal early.
    context.switchToHttp().getResponse<Response>().setHeader('Connection', 'close');
    if (declared === undefined)
      throw new TesseraError('bad_request', 'A multipart upload must state its Content-Length.');
    throw new TesseraError('payload_too_large', `A multipart upload may be at most ${this.maxBytes} bytes.`);
  }
}
