import './instrumentation';
import 'reflect-metadata';
import { runService } from '@tessera/runtime';
import { identityService } from './identity.module';

void runService(identityService);
