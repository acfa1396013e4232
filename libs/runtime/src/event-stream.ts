import { EVENTS_STREAM, EVENTS_SUBJECTS, NatsNamespace } from '@tessera/contracts';
import { NatsConnection, NatsError, RetentionPolicy, StorageType, nanos } from 'nats';

/** How long JetStream remembers a `Nats-Msg-Id`: a re-publish within it (after a crash) is dropped as a duplicate. */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;
const RETENTION_MS = 7 * 24 * 3600_000;

/**
 * Creates the installation's event stream (`TESSERA_EVENTS` with the default prefix) if it is missing; harmless
 * when another process does the same at once.
 */
export async function ensureEventStream(nc: NatsConnection, namespace: NatsNamespace): Promise<void> {
  const stream = namespace.stream(EVENTS_STREAM);
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(stream);
    return;
  } catch (error) {
    if (!(error instanceof NatsError && error.api_error?.err_code === 10059)) throw error; // 10059: stream not found
  }
  try {
    await jsm.streams.add({
      name: stream,
      subjects: [namespace.subject(EVENTS_SUBJECTS)],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      max_age: nanos(RETENTION_MS),
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    });
  } catch (error) {
    await jsm.streams.info(stream).catch(() => {
      throw error; // it still does not exist: the add failed for a real reason
    });
  }
}
