import { identityService } from '../apps/identity/src/identity.module';
import { keysService } from '../apps/keys/src/keys.module';
import { notificationsService } from '../apps/notifications/src/notifications.module';
import { teamsService } from '../apps/teams/src/teams.module';

/** The database-backed services, in the order `npm run migrate` takes them. */
export const databaseServices = [identityService, teamsService, keysService, notificationsService];
