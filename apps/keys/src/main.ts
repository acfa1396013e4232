import './instrumentation';
import 'reflect-metadata';
import { runService } from '@tessera/runtime';
import { keysService } from './keys.module';

void runService(keysService);
