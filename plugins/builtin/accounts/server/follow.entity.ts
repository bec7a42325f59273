import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One user following another (their activity reaches the follower's timeline). */
@Entity('accounts_follows')
export class Follow {
  @PrimaryColumn({ name: 'follower_id', type: 'bigint', unsigned: true })
  followerId!: string;

  @PrimaryColumn({ name: 'followee_id', type: 'bigint', unsigned: true })
  followeeId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamp', precision: 3 })
  createdAt!: Date;
}
