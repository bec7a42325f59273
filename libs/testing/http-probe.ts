import * as http from 'node:http';

export interface ProbeAnswer {
  status: number;
  body: any;
}

/** One GET on a new connection (no keep-alive), so the cluster may route it to any worker. */
export function getOnNewConnection(url: string): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    request.on('error', reject);
  });
}

/** Polls until `check` holds for `times` answers in a row (on new connections), or throws after `withinMs`. */
export async function eventually(url: string, check: (answer: ProbeAnswer) => boolean, withinMs: number, times = 1): Promise<number> {
  const started = Date.now();
  let streak = 0;
  let last: ProbeAnswer | undefined;
  while (Date.now() - started < withinMs) {
    last = await getOnNewConnection(url);
    streak = check(last) ? streak + 1 : 0;
    if (streak >= times) return Date.now() - started;
    if (!streak) await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} did not settle within ${withinMs} ms; last answer: ${JSON.stringify(last)}`);
}
