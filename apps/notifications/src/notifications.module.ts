import { Module } from '@nestjs/common';
import { defineService } from '@tessera/persistence';
import { RedisModule } from '@tessera/runtime';

/** Turns events into e-mails, queued in Redis (BullMQ) and sent over SMTP. */
@Module({})
export class NotificationsModule {}

export const notificationsService = defineService('notifications', {
  module: NotificationsModule,
  imports: (config) => [RedisModule.forUrl(config.redisUrl, 'tessera-notifications')],
});
