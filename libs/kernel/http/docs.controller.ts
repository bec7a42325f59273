import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ENGINE, type Engine } from '../engine';
import { openApiDocument, type OpenApiOperation } from './openapi-document';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The API's OpenAPI document, and a page that renders it. */
@Controller('api/docs')
export class DocsController {
  constructor(@Inject(ENGINE) private readonly engine: Engine) {}

  private document() {
    return openApiDocument(this.engine.openApiPaths(), String(this.engine.config().get('SITE_TITLE')));
  }

  @Get('openapi.json')
  openapi() {
    return this.document();
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  page() {
    const document = this.document() as { info: { title: string; description: string }; paths: Record<string, Record<string, OpenApiOperation>> };
    const sections = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, op]) => {
        const parameters = (op.parameters ?? [])
          .map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}${p.required ? ', required' : ''}</td><td>${escape(p.description)}</td></tr>`)
          .join('');
        const responses = Object.entries(op.responses).map(([code, r]) => `<li><b>${code}</b> ${escape(r.description)}</li>`).join('');
        return `<section><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code>${op.security ? ' <small>admin</small>' : ''}</h3>
          <p>${escape(op.summary)}</p>${op.description ? `<p>${escape(op.description)}</p>` : ''}
          ${parameters ? `<table><tr><th>parameter</th><th>where</th><th>meaning</th></tr>${parameters}</table>` : ''}
          <ul>${responses}</ul></section>`;
      }),
    );
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(document.info.title)}</title>
      <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}section{border-top:1px solid #ddd;padding:.4rem 0}
      .m{display:inline-block;min-width:4rem;font-size:.8rem;color:#fff;border-radius:3px;text-align:center;padding:.1rem .3rem}.get{background:#2b7}.post{background:#27c}.put{background:#c82}.delete{background:#c33}
      table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}</style></head>
      <body><h1>${escape(document.info.title)}</h1><p>${escape(document.info.description)} Machine-readable: <a href="/api/docs/openapi.json">openapi.json</a>.</p>
      ${sections.join('\n')}</body></html>`;
  }
}
