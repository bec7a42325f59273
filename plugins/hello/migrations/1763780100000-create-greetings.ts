import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGreetings1763780100000 implements MigrationInterface {
  name = 'CreateGreetings1763780100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE hello_greetings (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        text VARCHAR(200) NOT NULL,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE hello_greetings');
  }
}
