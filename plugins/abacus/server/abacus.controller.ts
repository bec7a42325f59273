import { BrickyardError, CurrentIdentity, InjectPluginContext, readUpload, type Identity, type PluginContext } from '@brickyard/sdk';
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { allowedAt } from './designer/anneal';
import { parsePdb, PdbError } from './designer/pdb';
import { constraintsSchema, inputKey, outputKey, type DesignResult } from './design.task';

type Reply = { status(code: number): Reply; header(name: string, value: string): Reply; send(body?: unknown): void };
const STATUS = { queued: 'PENDING', running: 'RUNNING', succeeded: 'SUCCESS' } as const;
const BASE = '/api/plugins/abacus';
const options = z.object({
  seed: z.coerce.number().int().min(0).max(2 ** 31).optional(),
  sweeps: z.coerce.number().int().min(1).max(50_000).optional(),
  constraints: z.string().max(100_000).transform((text, ctx) => {
    try {
      return constraintsSchema.parse(JSON.parse(text));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `constraints: ${(error as Error).message.slice(0, 300)}` });
      return z.NEVER;
    }
  }).optional(),
});

/**
 * Biohub's ABACUS API, under /api/plugins/abacus/: POST start (multipart `file`, a PDB)
 * → {id, query_url}; GET query/:id → {status, id, output?, result?}; GET output/:id → the designed PDB.
 * Signed-in users start designs; only the one who started a design (or an admin) reads it.
 */
@Controller()
export class AbacusController {
  constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}

  @Post('start')
  async start(@CurrentIdentity() who: Identity, @Req() request: { raw: IncomingMessage }) {
    if (who.role === 'anonymous') throw new BrickyardError('unauthorized', 'sign in to design a protein');
    const upload = await readUpload(request, { maxBytes: this.plugin.settings.get('ABACUS_MAX_UPLOAD_BYTES'), types: ['text/plain'] });
    const text = upload.bytes.toString('utf8');
    let residues;
    try {
      residues = parsePdb(text);
    } catch (error) {
      if (error instanceof PdbError) throw new BrickyardError('invalid_params', `not a readable PDB file: ${error.message}`);
      throw error;
    }
    if (!residues.length) throw new BrickyardError('invalid_params', 'no protein backbone found: send a PDB file with ATOM records for N, CA and C of amino acids');
    const max = this.plugin.settings.get('ABACUS_MAX_RESIDUES');
    if (residues.length > max) throw new BrickyardError('payload_too_large', `the structure has ${residues.length} residues; at most ${max} can be designed (ABACUS_MAX_RESIDUES)`);
    const parsed = options.safeParse(upload.fields);
    if (!parsed.success) throw new BrickyardError('invalid_params', parsed.error.issues.map((i) => `${i.path.join('.') || 'field'}: ${i.message}`).join('; '));
    try {
      allowedAt(residues, parsed.data.constraints);
    } catch (error) {
      throw new BrickyardError('invalid_params', `constraints: ${(error as Error).message}`);
    }
    const input = randomUUID();
    await this.plugin.store.set(inputKey(input), text, { ttlMs: 7 * 24 * 3600_000 });
    const name = upload.filename || 'structure.pdb';
    const task = await this.plugin.tasks.submit('abacus.design', { input, name, ...parsed.data }, { identity: who });
    return { id: task.id, query_url: `${BASE}/query/${task.id}` };
  }

  @Get('query/:id')
  async query(@CurrentIdentity() who: Identity, @Param('id') id: string) {
    const task = await this.ownTask(who, id);
    const status: string = STATUS[task.state as keyof typeof STATUS] ?? 'ERROR';
    return {
      status,
      id: task.id,
      progress: task.progress,
      message: task.progressMessage,
      input: `${BASE}/input/${task.id}`,
      ...(status === 'SUCCESS' ? { output: `${BASE}/output/${task.id}`, result: task.result as DesignResult } : {}),
      ...(status === 'ERROR' ? { error: task.error ?? task.state } : {}),
    };
  }

  @Get('output/:id')
  async output(@CurrentIdentity() who: Identity, @Param('id') id: string, @Res() reply: Reply) {
    const task = await this.ownTask(who, id);
    const pdb = task.state === 'succeeded' ? await this.plugin.store.get(outputKey(task.id)) : null;
    if (pdb === null) throw new BrickyardError('not_found', `design ${id} has no output${task.state === 'succeeded' ? ' any more' : ' yet'}`);
    this.sendPdb(reply, pdb, `${(task.params as { name: string }).name.replace(/\.(pdb|ent|txt)$/i, '')}-designed.pdb`);
  }

  /** The structure the design started from, as uploaded. */
  @Get('input/:id')
  async input(@CurrentIdentity() who: Identity, @Param('id') id: string, @Res() reply: Reply) {
    const task = await this.ownTask(who, id);
    const params = task.params as { input: string; name: string };
    const pdb = await this.plugin.store.get(inputKey(params.input));
    if (pdb === null) throw new BrickyardError('not_found', `design ${id}'s input is no longer stored`);
    this.sendPdb(reply, pdb, params.name);
  }

  private sendPdb(reply: Reply, pdb: string, filename: string) {
    const name = filename.replace(/[^\w.-]/g, '_');
    reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `inline; filename="${name}"`)
      .header('cache-control', 'private, max-age=3600')
      .send(pdb);
  }

  /** The design task `id` if `who` started it (or is an admin); anything else does not exist for them. */
  private async ownTask(who: Identity, id: string) {
    if (who.role === 'anonymous') throw new BrickyardError('unauthorized', 'sign in to see your designs');
    const task = /^[\w-]{1,64}$/.test(id) ? await this.plugin.tasks.get(id) : undefined;
    if (!task || task.kind !== 'abacus.design' || (task.owner !== who.userId && who.role !== 'admin')) throw new BrickyardError('not_found', `no design ${id}`);
    return task;
  }
}
