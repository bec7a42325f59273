import * as http from 'node:http';
import { freePort } from '@brickyard/testing';

/** The Registry's per-part XML answer (rsbpml) with one parameter and one category, as the enricher reads it. */
const rsbpml = (name: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rsbpml><part_list><part>
  <part_name>${name}</part_name><part_url>http://parts.igem.org/Part:${name}</part_url>
  <parameters><parameter><name>efficiency</name><value>0.97</value><units></units></parameter></parameters>
  <categories><category>//terminator/double</category></categories>
  <twins></twins>
</part></part_list></rsbpml>`;

/**
 * A local stand-in for the Registry's per-part API, so part pages enrich
 * without the network; parts named in `slow` answer after `delayMs`, long
 * enough for a page to show the wait and then the update.
 */
export async function startRegistryStub(slow: Set<string>, delayMs: number): Promise<{ url: string; host: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    const name = decodeURIComponent(request.url!.split('/').pop()!);
    setTimeout(() => response.writeHead(200, { 'content-type': 'text/xml' }).end(rsbpml(name)), slow.has(name) ? delayMs : 0);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/part/{name}`, host: `127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
