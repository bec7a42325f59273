import { BrickyardError, InjectPluginContext, InjectRepository, type Identity, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import type { Repository } from 'typeorm';
import type { AccountsSettings } from './settings';
import { User } from './user.entity';

/**
 * argon2id with OWASP's recommended minimum cost (19 MiB, 2 passes, 1 lane),
 * which are also the library's defaults; stated here so a change is deliberate.
 */
export const ARGON2 = { algorithm: 2 /* argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Verified against when the username is unknown, so both failures take the same time. */
let decoy: Promise<string> | undefined;

@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectPluginContext() private readonly plugin: PluginContext<AccountsSettings>,
  ) {}

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

  /** Changes a password after checking the current one; every other session of the user ends. */
  async changePassword(userId: string, current: string, next: string): Promise<User> {
    const user = await this.find(userId);
    if (!user || !(await verify(user.passwordHash, current))) throw new BrickyardError('forbidden', 'the current password is wrong');
    user.passwordHash = await hash(next, ARGON2);
    await this.users.save(user);
    await this.plugin.sessions().endAll(userId);
    return user;
  }
}
