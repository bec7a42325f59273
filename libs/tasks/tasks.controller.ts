import { AdminTokenGuard } from '@brickyard/kernel';
import { identify } from '@brickyard/realtime';
import type { TaskState } from '@brickyard/sdk';
import { BadRequestException, Body, Controller, Delete, Get, HttpCode, HttpException, NotFoundException, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { TaskRequestError } from './task-errors';
import { TaskService } from './task.service';

const STATES: TaskState[] = ['queued', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled'];

async function ownerOf(request: { raw: IncomingMessage }): Promise<string | null> {
  return (await identify(request.raw)).userId;
}

async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TaskRequestError) throw new HttpException(error.message, error.status);
    throw error;
  }
}

/** Tasks of the caller (anonymous callers share the anonymous owner until accounts exist). */
@Controller('api/tasks')
export class TasksController {
  constructor(private readonly tasks: TaskService) {}

  @Post()
  submit(@Body() body: { kind?: unknown; params?: unknown; socketId?: unknown } | undefined, @Req() request: { raw: IncomingMessage }) {
    if (!body || typeof body !== 'object' || typeof body.kind !== 'string') {
      throw new BadRequestException('send a JSON body {"kind": "<plugin>.<task>", "params": {…}, "socketId"?: "<from the welcome frame>"}');
    }
    if (body.socketId !== undefined && (typeof body.socketId !== 'string' || !body.socketId || body.socketId.length > 200)) {
      throw new BadRequestException('socketId must be the socketId of your websocket\'s welcome frame');
    }
    const socketId = body.socketId as string | undefined;
    return answer(async () => this.tasks.submit(body.kind as string, body.params, await ownerOf(request), { socketId }));
  }

  @Get()
  async list(@Req() request: { raw: IncomingMessage }) {
    return this.tasks.list({ owner: await ownerOf(request) });
  }

  @Get(':id')
  async get(@Param('id') id: string, @Req() request: { raw: IncomingMessage }) {
    const task = await this.tasks.get(id);
    if (!task || (task.owner !== null && task.owner !== (await ownerOf(request)))) throw new NotFoundException(`no task ${id}`);
    return task;
  }

  @Delete(':id')
  @HttpCode(200)
  async cancel(@Param('id') id: string, @Req() request: { raw: IncomingMessage }) {
    await this.get(id, request);
    return answer(() => this.tasks.cancel(id));
  }
}

@Controller('api/admin/tasks')
@UseGuards(AdminTokenGuard)
export class AdminTasksController {
  constructor(private readonly tasks: TaskService) {}

  /** Every owner's tasks, newest first, with filters; and the counts of each queue. */
  @Get()
  async list(@Query('state') state?: string, @Query('kind') kind?: string, @Query('limit') limit?: string) {
    if (state !== undefined && !STATES.includes(state as TaskState)) {
      throw new BadRequestException(`state must be one of ${STATES.join(', ')}`);
    }
    if (limit !== undefined && !/^\d{1,3}$/.test(limit)) throw new BadRequestException('limit must be a number from 1 to 500');
    const tasks = await this.tasks.list({ state: state as TaskState | undefined, kind, limit: limit ? Number(limit) : 100 });
    return { tasks, queues: await this.tasks.queueStats() };
  }
}
