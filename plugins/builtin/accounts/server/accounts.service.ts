import { BrickyardError, InjectPluginContext, InjectRepository, type Identity, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import * as crypto from 'node:crypto';
import type { Repository } from 'typeorm';
import { describeMailFailure, mailTransport, type Mail, type MailTransport } from './mail';
import { Follow } from './follow.entity';
import { PasswordReset } from './password-reset.entity';
import type { AccountsSettings } from './settings';
import { User } from './user.entity';

/**
 * argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes, 1 lane),
 * which are also the library's defaults; stated here so a change is deliberate.
 */
export const ARGON2 = { algorithm: 2 /* argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Verified against when the username is unknown, so both failures take the same time. */
let decoy: Promise<string> | undefined;

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

@Injectable()
export class AccountsService {
  private readonly mail: MailTransport;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(PasswordReset) private readonly resets: Repository<PasswordReset>,
    @InjectRepository(Follow) private readonly follows: Repository<Follow>,
    @InjectPluginContext() private readonly plugin: PluginContext<AccountsSettings>,
  ) {
    this.mail = mailTransport(plugin);
  }

  async register(input: { username: string; email: string; password: string }): Promise<User> {
    const taken = await this.users.findOne({ where: [{ username: input.username }, { email: input.email }] });
    if (taken) {
      throw new BrickyardError('conflict', taken.username.toLowerCase() === input.username.toLowerCase() ? `the username ${input.username} is taken` : 'an account with this email exists');
    }
    const user = this.users.create({ username: input.username, email: input.email, passwordHash: await hash(input.password, ARGON2), role: 'user' });
    try {
      return await this.users.save(user);
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_DUP_ENTRY') throw new BrickyardError('conflict', 'the username or email is taken');
      throw error;
    }
  }

  /**
   * Checks a sign-in. Failures are counted per account and per client address
   * (in the cluster's store); past either limit, tries are refused with 429
   * before the password is even checked. One message for a wrong name or a
   * wrong password, so accounts cannot be discovered this way.
   */
  async login(input: { username: string; password: string }, who: Identity): Promise<User> {
    const settings = this.plugin.settings;
    const windowMs = settings.get('ACCOUNTS_LOGIN_WINDOW_MINUTES') * 60_000;
    const accountKey = `login-failures:account:${input.username.toLowerCase()}`;
    const addressKey = `login-failures:address:${who.address ?? 'unknown'}`;
    const [byAccount, byAddress] = await Promise.all([this.plugin.store.get(accountKey), this.plugin.store.get(addressKey)]);
    if (Number(byAccount ?? 0) >= settings.get('ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT') || Number(byAddress ?? 0) >= settings.get('ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS')) {
      throw new BrickyardError('rate_limited', `too many failed sign-ins: try again in ${settings.get('ACCOUNTS_LOGIN_WINDOW_MINUTES')} minutes`);
    }
    const user = await this.users.findOne({ where: { username: input.username } });
    const ok = user ? await verify(user.passwordHash, input.password) : (await verify(await (decoy ??= hash('decoy password', ARGON2)), input.password), false);
    if (!user || !ok) {
      await Promise.all([this.plugin.store.increment(accountKey, windowMs), this.plugin.store.increment(addressKey, windowMs)]);
      throw new BrickyardError('unauthorized', 'the username or the password is wrong');
    }
    await this.plugin.store.delete(accountKey);
    return user;
  }

  async find(id: string): Promise<User | null> {
    return /^\d{1,20}$/.test(id) ? this.users.findOne({ where: { id } }) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    return this.users.findOne({ where: { username } });
  }

  /**
   * Sends a reset link to the account with this email, if there is one; the
   * caller is told the same either way (accounts are not discovered so). The
   * token is random, kept only as its hash, works once, and expires.
   */
  async requestReset(email: string, who: Identity): Promise<void> {
    const perHour = this.plugin.settings.get('ACCOUNTS_RESETS_PER_HOUR');
    if ((await this.plugin.store.increment(`reset-requests:${who.address ?? 'unknown'}`, 3_600_000)) > perHour) {
      throw new BrickyardError('rate_limited', `at most ${perHour} password reset requests an hour from one address`);
    }
    const user = await this.users.findOne({ where: { email } });
    if (!user) return;
    const token = crypto.randomBytes(32).toString('base64url');
    const minutes = this.plugin.settings.get('ACCOUNTS_RESET_TTL_MINUTES');
    await this.resets.insert({ tokenHash: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + minutes * 60_000), usedAt: null });
    this.sendInBackground({
      to: user.email,
      subject: 'Reset your password',
      text:
        `Someone (we hope you) asked to reset the password of ${user.username}.\n\n` +
        `Open /reset?token=${token} on the site within ${minutes} minutes, or send\n` +
        `POST /api/auth/reset/confirm {"token": "${token}", "password": "<the new one>"}.\n\n` +
        'The link works once. If you did not ask, ignore this mail: your password stays as it is.',
    });
  }

  /**
   * Sends without making the caller wait: an SMTP conversation takes long enough
   * that its time, or its failure, would tell whether the email has an account.
   * A failure is logged, without the mail.
   */
  private sendInBackground(mail: Mail): void {
    this.mail.send(mail).catch((error: unknown) => {
      this.plugin.logger.error({ to: mail.to, subject: mail.subject, transport: this.plugin.settings.get('ACCOUNTS_MAIL_TRANSPORT'), error: describeMailFailure(error) }, 'mail not sent');
    });
  }

  /** Sets a new password with a reset token: it is marked used by the same statement that checks it, so it works once. */
  async confirmReset(token: string, password: string): Promise<User> {
    const tokenHash = sha256(token);
    const used = await this.resets
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'CURRENT_TIMESTAMP(3)' })
      .where('token_hash = :tokenHash AND used_at IS NULL AND expires_at > CURRENT_TIMESTAMP(3)', { tokenHash })
      .execute();
    const reset = used.affected ? await this.resets.findOne({ where: { tokenHash } }) : null;
    const user = reset ? await this.find(String(reset.userId)) : null;
    if (!user) throw new BrickyardError('invalid_params', 'this reset link is unknown, already used or expired: ask for a new one');
    user.passwordHash = await hash(password, ARGON2);
    await this.users.save(user);
    await this.plugin.sessions().endAll(String(user.id));
    return user;
  }

  async updateProfile(userId: string, changes: { display_name?: string; bio?: string }): Promise<User> {
    const user = await this.find(userId);
    if (!user) throw new BrickyardError('unauthorized', 'sign in first');
    if (changes.display_name !== undefined) user.displayName = changes.display_name;
    if (changes.bio !== undefined) user.bio = changes.bio;
    return this.users.save(user);
  }

  /** Follows or unfollows; idempotent. One cannot follow oneself. */
  async setFollow(followerId: string, username: string, following: boolean): Promise<{ following: boolean; followers: number }> {
    const followee = await this.findByUsername(username);
    if (!followee) throw new BrickyardError('not_found', `no user named ${username}`);
    if (String(followee.id) === followerId) throw new BrickyardError('invalid_params', 'one cannot follow oneself');
    if (following) await this.follows.createQueryBuilder().insert().orIgnore().values({ followerId, followeeId: followee.id }).execute();
    else await this.follows.delete({ followerId, followeeId: followee.id });
    return { following, followers: await this.follows.count({ where: { followeeId: followee.id } }) };
  }

  /** Followers and followed counts of a user. */
  async followCounts(userId: string): Promise<{ followers: number; following: number }> {
    const [followers, following] = await Promise.all([this.follows.count({ where: { followeeId: userId } }), this.follows.count({ where: { followerId: userId } })]);
    return { followers, following };
  }

  /** Usernames following, or followed by, a user: newest first, a page of 50. */
  async followList(username: string, direction: 'followers' | 'following', page: number): Promise<string[]> {
    const user = await this.findByUsername(username);
    if (!user) throw new BrickyardError('not_found', `no user named ${username}`);
    const [mine, theirs] = direction === 'followers' ? ['followee_id', 'follower_id'] : ['follower_id', 'followee_id'];
    const rows: { username: string }[] = await this.follows.query(
      `SELECT u.username FROM accounts_follows f JOIN accounts_users u ON u.id = f.${theirs} WHERE f.${mine} = ? ORDER BY f.created_at DESC LIMIT 50 OFFSET ?`,
      [user.id, (page - 1) * 50],
    );
    return rows.map((r) => r.username);
  }

  /** Changes a password after checking the current one; every other session of the user ends. */
  async changePassword(userId: string, current: string, next: string): Promise<User> {
    const user = await this.find(userId);
    if (!user) throw new BrickyardError('unauthorized', 'sign in first: POST /api/auth/login');
    if (!(await verify(user.passwordHash, current))) throw new BrickyardError('forbidden', 'the current password is wrong');
    user.passwordHash = await hash(next, ARGON2);
    await this.users.save(user);
    await this.plugin.sessions().endAll(userId);
    return user;
  }
}
