import { BrickyardError, CurrentIdentity, InjectPluginContext, ZodPipe, type Identity, type PluginContext } from '@brickyard/sdk';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AccountsService } from './accounts.service';
import { AvatarsService } from './avatars.service';
import { signedIn } from './signed-in';
import { publicUser } from './user.entity';

const username = z.string().regex(/^[A-Za-z0-9_.-]{3,40}$/, 'use 3 to 40 letters, digits, _ . or -');
const password = z.string().min(8, 'use at least 8 characters').max(200);
const registration = z.object({ username, email: z.email().max(254), password }).strict();
const credentials = z.object({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) }).strict();
const passwordChange = z.object({ current: z.string().min(1).max(200), next: password }).strict();
const resetRequest = z.object({ email: z.email().max(254) }).strict();
// No body at all is a plain sign-out of this session.
const logoutOptions = z.object({ everywhere: z.boolean().default(false) }).strict().default({ everywhere: false });
const resetConfirm = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a reset token'), password }).strict();

type Reply = { header(name: string, value: string | string[]): void };
type Request = { raw: IncomingMessage };

/** Sign-up, sign-in and -out, the signed-in user, passwords: `/api/auth/…`. */
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly avatars: AvatarsService,
    @InjectPluginContext() private readonly plugin: PluginContext,
  ) {}

  /** Creates an account and signs it in. */
  @Post('register')
  async register(@Body(new ZodPipe(registration)) body: z.infer<typeof registration>, @Req() request: Request, @Res({ passthrough: true }) reply: Reply) {
    const user = await this.accounts.register(body);
    reply.header('set-cookie', await this.plugin.sessions().start(request, { userId: String(user.id), username: user.username, role: user.role }));
    return publicUser(user, true);
  }

  /** Signs in: a new session (never the one the client brought), its cookies, and the user. */
  @Post('login')
  @HttpCode(200)
  async login(@Body(new ZodPipe(credentials)) body: z.infer<typeof credentials>, @CurrentIdentity() who: Identity, @Req() request: Request, @Res({ passthrough: true }) reply: Reply) {
    const user = await this.accounts.login(body, who);
    reply.header('set-cookie', await this.plugin.sessions().start(request, { userId: String(user.id), username: user.username, role: user.role }));
    return publicUser(user, true, await this.avatars.versionOf(String(user.id)));
  }

  /** Ends this session: it cannot be replayed. With `{"everywhere": true}`, every session of the user ends (a lost phone, a shared computer). */
  @Post('logout')
  @HttpCode(200)
  async logout(@Body(new ZodPipe(logoutOptions)) body: z.infer<typeof logoutOptions>, @CurrentIdentity() who: Identity, @Req() request: Request, @Res({ passthrough: true }) reply: Reply) {
    const everyone = body.everywhere ? signedIn(who) : undefined; // refused before anything ends
    reply.header('set-cookie', await this.plugin.sessions().end(request));
    if (everyone) await this.plugin.sessions().endAll(everyone);
    return { signedOut: true, everywhere: body.everywhere };
  }

  @Get('me')
  async me(@CurrentIdentity() who: Identity) {
    const user = await this.accounts.find(signedIn(who));
    if (!user) throw new BrickyardError('unauthorized', 'not signed in: POST /api/auth/login');
    return publicUser(user, true, await this.avatars.versionOf(String(user.id)));
  }

  /** Changes the password; every session of the user ends, and this one starts anew. */
  @Post('password')
  @HttpCode(200)
  async password(@Body(new ZodPipe(passwordChange)) body: z.infer<typeof passwordChange>, @CurrentIdentity() who: Identity, @Req() request: Request, @Res({ passthrough: true }) reply: Reply) {
    const user = await this.accounts.changePassword(signedIn(who), body.current, body.next);
    reply.header('set-cookie', await this.plugin.sessions().start(request, { userId: String(user.id), username: user.username, role: user.role }));
    return publicUser(user, true, await this.avatars.versionOf(String(user.id)));
  }
}

/** Password resets by mail: `/api/auth/reset` and `/api/auth/reset/confirm`. */
@Controller('api/auth/reset')
export class ResetController {
  constructor(private readonly accounts: AccountsService) {}

  /** Always the same answer, whether or not an account has this email. */
  @Post()
  @HttpCode(200)
  async request(@Body(new ZodPipe(resetRequest)) body: z.infer<typeof resetRequest>, @CurrentIdentity() who: Identity) {
    await this.accounts.requestReset(body.email, who);
    return { sent: 'if an account has this email, a link to reset its password is on its way' };
  }

  /** Sets the new password; the link is spent, and every session of the account ends. */
  @Post('confirm')
  @HttpCode(200)
  async confirm(@Body(new ZodPipe(resetConfirm)) body: z.infer<typeof resetConfirm>) {
    const user = await this.accounts.confirmReset(body.token, body.password);
    return { reset: true, username: user.username };
  }
}

const profileChange = z.object({ display_name: z.string().trim().min(1).max(80).optional(), bio: z.string().max(1000).optional() }).strict();
const page = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) }).strict();

/** Profiles and follows: `/api/users/…`. */
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly avatars: AvatarsService,
  ) {}

  /** The signed-in user's own profile: display name and bio. */
  @Put('me')
  async update(@Body(new ZodPipe(profileChange)) body: z.infer<typeof profileChange>, @CurrentIdentity() who: Identity) {
    const user = await this.accounts.updateProfile(signedIn(who), body);
    return publicUser(user, true, await this.avatars.versionOf(String(user.id)));
  }

  @Get(':username')
  async profile(@Param('username') name: string) {
    const user = await this.accounts.findByUsername(name);
    if (!user) throw new BrickyardError('not_found', `no user named ${name}`);
    const [avatar, counts] = await Promise.all([this.avatars.versionOf(String(user.id)), this.accounts.followCounts(String(user.id))]);
    return { ...publicUser(user, false, avatar), ...counts };
  }

  @Put(':username/follow')
  follow(@Param('username') name: string, @CurrentIdentity() who: Identity) {
    return this.accounts.setFollow(signedIn(who), name, true);
  }

  @Delete(':username/follow')
  unfollow(@Param('username') name: string, @CurrentIdentity() who: Identity) {
    return this.accounts.setFollow(signedIn(who), name, false);
  }

  @Get(':username/followers')
  followers(@Param('username') name: string, @Query(new ZodPipe(page, 'query')) query: z.infer<typeof page>) {
    return this.accounts.followList(name, 'followers', query.page);
  }

  @Get(':username/following')
  following(@Param('username') name: string, @Query(new ZodPipe(page, 'query')) query: z.infer<typeof page>) {
    return this.accounts.followList(name, 'following', query.page);
  }
}
