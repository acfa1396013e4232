import { MigrationInterface, QueryRunner } from 'typeorm';

/** Usage older than its retention is swept by hour across accounts; the primary key leads with the account. */
export class UsageByHour1765900000000 implements MigrationInterface {
  name = 'UsageByHour1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX usage_hourly_by_hour ON keys.usage_hourly (hour)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX keys.usage_hourly_by_hour`);
  }
}
