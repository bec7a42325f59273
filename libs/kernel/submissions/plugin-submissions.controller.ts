import { BrickyardError, CurrentIdentity, RequireAccess, ZodPipe, type Identity } from '@brickyard/sdk';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { ENGINE, type Engine } from '../engine';
import { SubmissionService } from './submission-service';
import { SUBMISSION_STATES } from './submissions.repository';

const submitBody = z.object({ url: z.string().max(2000), ref: z.string().max(2000).default('main') }).strict();
const listQuery = z.object({ state: z.enum(SUBMISSION_STATES as [string, ...string[]]).optional() }).strict();
const fileQuery = z.object({ path: z.string().min(1).max(400) }).strict();
const approveBody = z.object({ capabilities: z.array(z.string().max(200)).max(50).default([]) }).strict();
const rejectBody = z.object({ reason: z.string().trim().min(3, 'say why, in at least 3 characters').max(1000) }).strict();

/** Files larger than this are listed but not shown as text. */
const MAX_TEXT_BYTES = 256 * 1024;

function submissionId(id: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) throw new BrickyardError('not_found', `no plugin submission ${id}`);
  return Number(id);
}

/** One service per engine (the core app is rebuilt on reloads; the service holds nothing else). */
const services = new WeakMap<Engine, SubmissionService>();
export function submissionService(engine: Engine): SubmissionService {
  let service = services.get(engine);
  if (!service) services.set(engine, (service = new SubmissionService(engine)));
  return service;
}

/** Signed-in users submit plugins from git repositories and follow their own submissions. */
@Controller('api/plugin-submissions')
@RequireAccess('user')
export class PluginSubmissionsController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  /** Body `{"url": "https://…/plugin.git", "ref": "main"}`: fetches, pins and validates; 201 with the submission (`state` pending or invalid). */
  @Post()
  async submit(@Body(new ZodPipe(submitBody, 'body', 'send {"url": "https://…", "ref": "main"}')) body: z.infer<typeof submitBody>, @CurrentIdentity() who: Identity) {
    return submissionService(this.engine).submit(who, body);
  }

  /** The caller's submissions, newest first (admins: everyone's), optionally of one state. */
  @Get()
  async list(@Query(new ZodPipe(listQuery, 'query')) query: z.infer<typeof listQuery>, @CurrentIdentity() who: Identity) {
    const service = submissionService(this.engine);
    return service.list({ userId: who.role === 'admin' ? undefined : who.userId!, state: query.state as never });
  }

  /** One submission with its file list and the approved version it would replace: its owner or an admin. */
  @Get(':id')
  async get(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    const service = submissionService(this.engine);
    const submission = await service.readable(who, submissionId(id));
    const approved = submission.name ? await service.repository.approvedOf(submission.name) : undefined;
    // For a pending update, the version it would replace (shown to the reviewer).
    const replaces = approved && approved.id !== submission.id ? approved : null;
    return { ...submission, replaces, files: await service.repository.fileList(submission.id) };
  }

  /** The text of one of its files (`?path=server/index.ts`): its owner or an admin. */
  @Get(':id/file')
  async file(@Param('id') id: string, @Query(new ZodPipe(fileQuery, 'query')) query: z.infer<typeof fileQuery>, @CurrentIdentity() who: Identity) {
    const service = submissionService(this.engine);
    const submission = await service.readable(who, submissionId(id));
    const content = await service.repository.file(submission.id, query.path);
    if (!content) throw new BrickyardError('not_found', `submission ${submission.id} has no file ${query.path}`);
    if (content.length > MAX_TEXT_BYTES) return { path: query.path, size: content.length, text: null, note: 'too large to show' };
    if (content.includes(0)) return { path: query.path, size: content.length, text: null, note: 'binary file' };
    return { path: query.path, size: content.length, text: content.toString('utf8') };
  }
}

/** Admins review submissions: list them by state, approve with the capabilities they tick, or reject with a reason. */
@Controller('api/admin/plugin-submissions')
@RequireAccess('admin')
export class AdminPluginSubmissionsController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  @Get()
  async list(@Query(new ZodPipe(listQuery, 'query')) query: z.infer<typeof listQuery>) {
    return submissionService(this.engine).list({ state: query.state as never });
  }

  /** Body `{"capabilities": [...]}`: pins the commit, records only those grants, enables the plugin and reloads the cluster. */
  @Post(':id/approve')
  @HttpCode(200)
  async approve(@Param('id') id: string, @Body(new ZodPipe(approveBody, 'body', 'send {"capabilities": ["…"]}')) body: z.infer<typeof approveBody> | undefined, @CurrentIdentity() who: Identity) {
    return submissionService(this.engine).approve(who, submissionId(id), body?.capabilities ?? []);
  }

  /** Body `{"reason": "…"}`: the submitter reads it in their notice. */
  @Post(':id/reject')
  @HttpCode(200)
  async reject(@Param('id') id: string, @Body(new ZodPipe(rejectBody, 'body', 'send {"reason": "…"}')) body: z.infer<typeof rejectBody>, @CurrentIdentity() who: Identity) {
    return submissionService(this.engine).reject(who, submissionId(id), body.reason);
  }
}
