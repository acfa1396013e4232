import './instrumentation';
import 'reflect-metadata';
import { runService } from '@tessera/runtime';
import { notificationsService } from './notifications.module';

void runService(notificationsService);
