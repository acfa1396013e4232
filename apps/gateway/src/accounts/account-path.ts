import { Uuid } from '@tessera/contracts';
import { z } from 'zod';

/** The path of the routes under `/v1/accounts/:accountId`. */
export const AccountPath = z.strictObject({ accountId: Uuid });
