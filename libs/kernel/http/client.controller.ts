import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE, type Engine } from '../engine';
import { policyWithScripts } from './security-headers';

const clientDir = path.resolve(__dirname, '..', '..', '..', 'client');

/** Serves the web client's page at `/` (a placeholder until the SPA lands). */
@Controller()
export class ClientController {
  private readonly page: string;
  /** The content security policy of the page: the default one plus the hashes of its inline scripts. */
  private readonly policy: string;

  constructor(@Inject(ENGINE) engine: Engine) {
    const title = String(engine.config().get('SITE_TITLE'));
    const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    this.page = fs.readFileSync(path.join(clientDir, 'index.html'), 'utf8').replaceAll('{{SITE_TITLE}}', escaped);
    const scripts = [...this.page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => crypto.createHash('sha256').update(m[1]!).digest('base64'));
    this.policy = policyWithScripts(scripts);
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  index(@Res({ passthrough: true }) reply: { header(name: string, value: string): void }) {
    reply.header('content-security-policy', this.policy);
    return this.page;
  }
}
