import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A password reset: single-use (used_at), short-lived (expires_at), kept only as the hash of its token. */
@Entity('accounts_password_resets')
export class PasswordReset {
  @PrimaryColumn({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ name: 'expires_at', type: 'timestamp', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamp', precision: 3, nullable: true })
  usedAt!: Date | null;
}
