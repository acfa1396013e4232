import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicator, HealthRegistry } from '@tessera/runtime';
import { DataSource } from 'typeorm';

@Injectable()
export class DatabaseHealthIndicator implements HealthIndicator, OnModuleInit {
  readonly name = 'database';

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
