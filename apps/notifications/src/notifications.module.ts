import { Module } from '@nestjs/common';
import { ServiceConfig } from '@tessera/config';
import { defineService } from '@tessera/persistence';
import { CONFIG, RedisModule } from '@tessera/runtime';
import { TeamsEventsHandler } from './events/teams-events.handler';
import { MAIL_DRIVER } from './mail/drivers/mail-driver';
import { SmtpDriver } from './mail/drivers/smtp.driver';
import { MailComposer } from './mail/mail-composer.service';
import { MailSenderJob } from './mail/mail-sender.job';
import { MailQueue } from './mail/mail.queue';

/**
 * Turns events into e-mails: teams events from JetStream (durable consumer `notifications`) become jobs on the
 * BullMQ queue `tessera-mail` in Redis (job id = event id), which a worker sends over SMTP. Its health reports
 * its database and Redis; SMTP is left out on purpose: while it is down e-mails wait and are retried, and the
 * service is not broken.
 */
@Module({})
export class NotificationsModule {}

export const notificationsService = defineService('notifications', {
  module: NotificationsModule,
  imports: (config) => [RedisModule.forUrl(config.redisUrl, 'tessera-notifications')],
  providers: [
    {
      provide: MAIL_DRIVER,
      useFactory: (config: ServiceConfig) => new SmtpDriver({ url: config.smtpUrl, from: config.mailFrom }),
      inject: [CONFIG],
    },
    MailComposer,
    MailQueue,
    MailSenderJob,
    TeamsEventsHandler,
  ],
});
