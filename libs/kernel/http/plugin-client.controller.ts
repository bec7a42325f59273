import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import * as fs from 'node:fs';
import { ENGINE, type Engine } from '../engine';

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}
interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
}

/**
 * Serves plugins' compiled client bundles (`/assets/plugins/<name>/<hash>.js`,
 * listed by GET /api/plugins) from the build cache. A name holds its content:
 * cached for a year, and an older one is still served while it is in the
 * cache, so a page that read the list just before a change imports what it read.
 */
@Controller('assets/plugins')
export class PluginClientController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  @Get(':name/:file')
  async bundle(@Param('name') name: string, @Param('file') file: string, @Req() request: RequestLike, @Res({ passthrough: true }) reply: ReplyLike) {
    const path = this.engine.pluginClientFile(name, file);
    if (!path) throw new NotFoundException(`no client bundle ${name}/${file}`);
    reply.header('content-type', 'text/javascript; charset=utf-8');
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    reply.header('vary', 'accept-encoding');
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? '')) && fs.existsSync(`${path}.gz`);
    if (gzip) reply.header('content-encoding', 'gzip');
    try {
      return await fs.promises.readFile(gzip ? `${path}.gz` : path);
    } catch {
      throw new NotFoundException(`no client bundle ${name}/${file}`); // pruned between the check and the read
    }
  }
}
