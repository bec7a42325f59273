import { BrickyardError, CurrentIdentity, ownerOf, RequireAccess, ZodPipe, type Identity } from '@brickyard/sdk';
import { mayRead, publicTask, type TaskService } from '@brickyard/tasks';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { ENGINE, type Engine } from '../engine';

const submission = z
  .object({
    kind: z.string().min(1).max(100),
    params: z.unknown().optional(),
    socketId: z.string().min(1).max(200).optional(),
  })
  .strict();

const adminFilter = z
  .object({
    state: z.enum(['queued', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled']).optional(),
    kind: z.string().max(100).optional(),
    owner: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** The caller's tasks (docs/architecture.md). Each kind says who may submit it. */
@Controller('api/tasks')
export class TasksController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  private get tasks(): TaskService {
    return this.engine.tasks;
  }

  @Post()
  async submit(
    @Body(new ZodPipe(submission, 'body', 'send {"kind": "<plugin>.<task>", "params": {…}, "socketId"?: "<from the welcome frame>"}')) body: z.infer<typeof submission>,
    @CurrentIdentity() who: Identity,
  ) {
    // Frames go to a named socket only if it is the caller's own connection.
    const ownsSocket = async (socketId: string) => (await this.engine.sockets.ownerOf(socketId)) === ownerOf(who);
    return publicTask(await this.tasks.submit(body.kind, body.params, { identity: who, owner: ownerOf(who), ownsSocket }, { socketId: body.socketId }));
  }

  @Get()
  async list(@CurrentIdentity() who: Identity) {
    return (await this.tasks.list({ owner: ownerOf(who) })).map(publicTask);
  }

  @Get(':id')
  async get(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    const task = await this.tasks.get(id);
    if (!mayRead(task, who)) throw new BrickyardError('not_found', `no task ${id}`);
    return publicTask(task);
  }

  @Delete(':id')
  @HttpCode(200)
  async cancel(@Param('id') id: string, @CurrentIdentity() who: Identity) {
    await this.get(id, who);
    const cancelled = await this.tasks.cancel(id);
    return cancelled && publicTask(cancelled);
  }
}

@Controller('api/admin/tasks')
@RequireAccess('admin')
export class AdminTasksController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  /** Every owner's tasks, newest first, with filters; and the counts of each queue. */
  @Get()
  async list(@Query(new ZodPipe(adminFilter, 'query')) filter: z.infer<typeof adminFilter>) {
    const tasks = (await this.engine.tasks.list(filter)).map(publicTask);
    return { tasks, queues: await this.engine.tasks.queueStats() };
  }
}
