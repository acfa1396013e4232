/** The processes of Tessera. Each answers its subjects in a NATS queue group of the same name. */
export const SERVICES = ['gateway', 'identity', 'teams', 'keys', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICES as readonly string[]).includes(value);
}
