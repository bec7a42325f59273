import * as crypto from 'node:crypto';
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

  @Column({ type: 'varchar', length: 1000, default: '' })
  bio!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamp', precision: 3 })
  createdAt!: Date;
}

/** Gravatar's picture for an email (its identicon when the person has none): no upload needed to have a face. */
export const gravatarUrl = (email: string) => `https://www.gravatar.com/avatar/${crypto.createHash('md5').update(email.trim().toLowerCase()).digest('hex')}?d=identicon&s=160`;

/** The picture they uploaded (`avatarVersion`: the start of its hash, so a new one is a new URL) or else Gravatar's. */
export const avatarUrl = (user: User, avatarVersion?: string) =>
  avatarVersion ? `/api/users/${encodeURIComponent(user.username)}/avatar?v=${avatarVersion}` : gravatarUrl(user.email);

/** What anyone may see of a user: never the hash, the email only to the user. */
export function publicUser(user: User, self = false, avatarVersion?: string) {
  return {
    id: String(user.id),
    username: user.username,
    display_name: user.displayName || user.username,
    bio: user.bio ?? '',
    avatar_url: avatarUrl(user, avatarVersion),
    role: user.role,
    created_at: user.createdAt,
    ...(self ? { email: user.email } : {}),
  };
}
