import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person with an account. Usernames and emails are unique (case-insensitively: the collation says so). */
@Entity('accounts_users')
export class User {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  username!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** argon2id; never leaves the service (see publicUser). */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ type: 'enum', enum: ['user', 'admin'], default: 'user' })
  role!: 'user' | 'admin';

  @Column({ name: 'display_name', type: 'varchar', length: 80, default: '' })
  displayName!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamp', precision: 3 })
  createdAt!: Date;
}

/** What anyone may see of a user: never the hash, the email only to the user. */
export function publicUser(user: User, self = false) {
  return {
    id: String(user.id),
    username: user.username,
    display_name: user.displayName || user.username,
    role: user.role,
    created_at: user.createdAt,
    ...(self ? { email: user.email } : {}),
  };
}
