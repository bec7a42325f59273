import { BrickyardError, CurrentIdentity, InjectPluginContext, ZodPipe, type Identity, type PluginContext } from '@brickyard/sdk';
import { Body, Controller, Delete, Get, Param, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import type { z } from 'zod';
import { idParam } from './caller';
import { ExperiencesService } from './experiences.service';
import { RetryAfterInterceptor } from './retry-after.interceptor';
import { experienceChange, experienceInput, experienceQuery, pageQuery } from './schemas';

/** Experiences on parts: `/api/forum/experiences[/:id]`. */
@Controller('api/forum/experiences')
@UseInterceptors(RetryAfterInterceptor)
export class ExperiencesController {
  constructor(private readonly experiences: ExperiencesService) {}

  /** Newest first; `?part=` and `?author=<username>` narrow it. */
  @Get()
  list(@Query(new ZodPipe(experienceQuery, 'query')) query: z.infer<typeof experienceQuery>, @CurrentIdentity() who: Identity) {
    return this.experiences.list(who, { part: query.part, author: query.author, page: query.page, perPage: query.per_page });
  }

  @Post()
  create(@Body(new ZodPipe(experienceInput)) body: z.infer<typeof experienceInput>, @CurrentIdentity() who: Identity) {
    return this.experiences.create(who, body);
  }

  @Get(':id')
  read(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    return this.experiences.read(who, idParam(id, 'experience'));
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body(new ZodPipe(experienceChange)) body: z.infer<typeof experienceChange>, @CurrentIdentity() who: Identity) {
    return this.experiences.update(who, idParam(id, 'experience'), body);
  }

  @Delete(':id')
  remove(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    return this.experiences.remove(who, idParam(id, 'experience'));
  }
}

/** A user's experiences: `/api/forum/users/:username/experiences`. */
@Controller('api/forum/users')
export class UserExperiencesController {
  constructor(
    private readonly experiences: ExperiencesService,
    @InjectPluginContext() private readonly plugin: PluginContext,
  ) {}

  @Get(':username/experiences')
  async list(@Param('username') username: string, @Query(new ZodPipe(pageQuery, 'query')) query: z.infer<typeof pageQuery>, @CurrentIdentity() who: Identity) {
    const [user] = await this.plugin.database().query('SELECT id FROM accounts_users WHERE username = ?', [username]);
    if (!user) throw new BrickyardError('not_found', `no user named ${username.slice(0, 40)}`);
    return this.experiences.list(who, { authorId: String(user.id), page: query.page, perPage: query.per_page });
  }
}
