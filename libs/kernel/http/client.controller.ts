import { Controller, Get, Header, Inject } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE, type Engine } from '../engine';

const clientDir = path.resolve(__dirname, '..', '..', '..', 'client');

/** Serves the web client's page at `/` (a placeholder until the SPA lands). */
@Controller()
export class ClientController {
  private readonly page: string;

  constructor(@Inject(ENGINE) host: Engine) {
    const title = String(host.config().get('SITE_TITLE'));
    const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    this.page = fs.readFileSync(path.join(clientDir, 'index.html'), 'utf8').replaceAll('{{SITE_TITLE}}', escaped);
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  index() {
    return this.page;
  }
}
