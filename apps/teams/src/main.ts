import './instrumentation';
import 'reflect-metadata';
import { runService } from '@tessera/runtime';
import { teamsService } from './teams.module';

void runService(teamsService);
