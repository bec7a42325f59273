import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import * as crypto from 'node:crypto';
import { ENGINE, type Engine } from '../engine';
import { loadClientBuild, type ClientAsset, type ClientBuild, type PagePreload } from './client-assets';
import { policyWithScripts } from './security-headers';

interface RequestLike {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}
interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
}

/** Paths that are never the app's pages: the API and the websocket answer for themselves. */
const NOT_PAGES = /^\/(api|ws)(\/|$)/;
/** Folders of built files: a missing file there is a 404, never the page (a stale chunk must fail loudly, not parse HTML). */
const FILE_FOLDERS = /^\/(assets|shared)\//;

/** The URL's path, decoded; undefined when it is not valid percent-encoding. */
function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0]!);
  } catch {
    return undefined;
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page the server sends for every route of the app: the built index.html
 * with the site's title, and the import map of the shared modules (vue,
 * vue-router, @brickyard/client, d3) pointing at their content-hashed files,
 * those the shell needs preloaded (d3 loads with a plugin that imports it). `<` is escaped in the map's JSON, so no value can end the script.
 */
export function renderPage(build: ClientBuild, title: string): string {
  const map = JSON.stringify({ imports: build.importMap }).replace(/</g, '\\u003c');
  const preloads = build.preload.map((url) => `<link rel="modulepreload" href="${escapeHtml(url)}">`).join('\n  ');
  return build.template
    .replaceAll('{{SITE_TITLE}}', escapeHtml(title))
    .replace(/<script type="importmap">[\s\S]*?<\/script>/, () => `<script type="importmap">${map}</script>\n  ${preloads}`);
}

/**
 * The page for paths under a prefix with preloads: the page's chunks named in
 * its head, so the browser fetches them while it parses the HTML rather than
 * once the router has run, and the page's stylesheets linked there. Linked,
 * not only preloaded: the app's import of the page then finds them applied
 * and goes on at once, where it would otherwise add each one and wait for its
 * load event first. `{{DATA}}` marks where the request's data preload goes
 * (see `withDataPreload`).
 */
export function pageWithPreloads(page: string, preload: PagePreload): string {
  const links = [
    ...preload.modules.map((url) => `<link rel="modulepreload" href="${escapeHtml(url)}">`),
    ...preload.styles.map((url) => `<link rel="stylesheet" crossorigin href="${escapeHtml(url)}">`),
    '{{DATA}}',
  ].join('\n  ');
  return page.replace('</head>', () => `  ${links}\n</head>`);
}

/** The longest name a data preload is made for: longer paths are not names, and get the page without it. */
const MAX_PRELOADED_NAME = 128;

/**
 * Fills a preloading page's data slot for `rest` (the path after the prefix):
 * a fetch preload of the page's API answer, which the app's own request (same
 * URL, same credentials mode) then takes from the browser instead of asking
 * again. Only for one plain path segment; otherwise the slot is emptied.
 */
export function withDataPreload(page: string, preload: PagePreload, rest: string): string {
  const named = preload.data && rest.length > 0 && rest.length <= MAX_PRELOADED_NAME && !rest.includes('/');
  const link = named ? `<link rel="preload" as="fetch" crossorigin href="${escapeHtml(preload.data + encodeURIComponent(rest))}">` : '';
  return page.replace('{{DATA}}', () => link);
}

/** sha256 (base64) of each inline script of a page, for its content security policy. */
export function inlineScriptHashes(page: string): string[] {
  return [...page.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => crypto.createHash('sha256').update(m[1]!).digest('base64'));
}

const unbuiltPage = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>${escapeHtml(title)}</h1>
<p>The browser app has not been built on this machine. <code>npm start</code> builds it; alone: <code>node bin/build-client.js</code>. The API is live: <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;

/**
 * Serves the browser app (client/, built by bin/build-client.js): the page at
 * `/` and at every path of the app (history fallback: any GET that is not
 * /api, /ws or a built file), and the built files, gzipped when the browser
 * takes it, content-hashed ones cached for a year.
 */
@Controller()
export class ClientController {
  private readonly build: ClientBuild | null;
  private readonly page: string;
  /** By path prefix: the page with that prefix's preloads, its data slot still open. */
  private readonly preloadingPages: [prefix: string, page: string, preload: PagePreload][];
  /** The page's content security policy: the default one plus the hashes of its inline scripts (the colour scheme, the import map). */
  private readonly policy: string;

  constructor(@Inject(ENGINE) engine: Engine) {
    const title = String(engine.config().get('SITE_TITLE'));
    this.build = loadClientBuild();
    this.page = this.build ? renderPage(this.build, title) : unbuiltPage(title);
    this.preloadingPages = Object.entries(this.build?.preloads ?? {}).map(([prefix, preload]) => [prefix, pageWithPreloads(this.page, preload), preload]);
    this.policy = policyWithScripts(inlineScriptHashes(this.page));
  }

  @Get()
  index(@Res({ passthrough: true }) reply: ReplyLike) {
    return this.sendPage(reply);
  }

  @Get('*')
  file(@Req() request: RequestLike, @Res({ passthrough: true }) reply: ReplyLike) {
    const pathname = decodedPath(request.url);
    if (pathname === undefined) throw new NotFoundException(`Cannot GET ${request.url}`);
    const asset = this.build?.assets.get(pathname);
    if (asset) return this.sendAsset(asset, request, reply);
    if (NOT_PAGES.test(pathname) || FILE_FOLDERS.test(pathname)) throw new NotFoundException(`Cannot GET ${pathname}`);
    const preloading = this.preloadingPages.find(([prefix]) => pathname.startsWith(prefix));
    return this.sendPage(reply, preloading && withDataPreload(preloading[1], preloading[2], pathname.slice(preloading[0].length)));
  }

  private sendPage(reply: ReplyLike, page = this.page): string {
    reply.status(this.build ? 200 : 503);
    reply.header('content-type', 'text/html; charset=utf-8');
    // The page names the current build's files: always revalidated, so a new build is seen at once.
    reply.header('cache-control', 'no-cache');
    reply.header('content-security-policy', this.policy);
    return page;
  }

  private sendAsset(asset: ClientAsset, request: RequestLike, reply: ReplyLike): Buffer | string {
    reply.header('content-type', asset.type);
    reply.header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate');
    reply.header('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) {
      reply.status(304);
      return '';
    }
    if (asset.gzip) {
      reply.header('vary', 'accept-encoding');
      if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
        reply.header('content-encoding', 'gzip');
        return asset.gzip;
      }
    }
    return asset.body;
  }
}
