/** The processes of Tessera. Each answers its subjects in a NATS queue group of the same name. */
export const SERVICES = ['gateway', 'identity', 'teams', 'keys', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICES as readonly string[]).includes(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id Tessera hands out is a UUID; anything else cannot name one of its records. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
