import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's uploaded picture: PNG, JPEG, GIF or WebP by content, at most ACCOUNTS_AVATAR_MAX_BYTES. */
@Entity('accounts_avatars')
export class Avatar {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: string;

  @Column({ type: 'mediumblob' })
  bytes!: Buffer;

  /** Of the bytes: the ETag, and (its first characters) the version in the profile's avatar_url. */
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'updated_at', type: 'timestamp', precision: 3 })
  updatedAt!: Date;
}
