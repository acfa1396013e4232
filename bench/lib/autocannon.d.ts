/**
 * The part of autocannon 8 that the benches use. autocannon ships no types (and none are installed), so this
 * declares only what we call; widen it when a bench needs more.
 */
declare module 'autocannon' {
  import { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      headers?: Record<string, string>;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds before a request counts as timed out and its connection is reset. */
      timeout?: number;
    }

    /** The aggregate of a run; the benches take their latencies from the `response` events instead. */
    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      resets: number;
      '2xx': number;
      statusCodeStats: Record<string, { count: number }>;
    }

    /**
     * A run: resolves with its result (it is a thenable), and emits `response` for every reply with its
     * status and round-trip time in milliseconds (fractional, unlike the result's histogram: whole ms).
     */
    interface Instance extends EventEmitter, PromiseLike<Result> {
      /** Ends the run at its next one-second tick; it then resolves as usual. */
      stop(): void;
      on(
        event: 'response',
        listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
      ): this;
      on(event: 'reqError', listener: (error: Error) => void): this;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;

  export = autocannon;
}
