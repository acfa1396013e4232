import type { Schemas } from '../../api/client';

/** Who created a key, in words: the API names them; a person since deleted has neither name nor e-mail. */
export function creatorName(createdBy: Schemas['KeyCreator']): string {
  return createdBy.name ?? createdBy.email ?? 'a former member';
}
