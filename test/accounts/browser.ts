/** A browser of one user for the accounts tests: keeps cookies, echoes the CSRF cookie on changes. */
export class Browser {
  /** Every JSON answer any browser got: a test can check none holds a secret. */
  static answers: string[] = [];
  cookies = new Map<string, string>();

  constructor(private readonly baseUrl: () => string) {}

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A JSON request (or a multipart one when `body` is a FormData). */
  async call(method: string, route: string, body?: unknown, options: { csrf?: boolean } = {}) {
    const headers: Record<string, string> = { cookie: this.header() };
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['content-type'] = 'application/json';
    if (options.csrf !== false && this.cookies.get('brickyard_csrf')) headers['x-csrf-token'] = this.cookies.get('brickyard_csrf')!;
    const payload = body === undefined ? undefined : form ? body : JSON.stringify(body);
    const response = await fetch(this.baseUrl() + route, { method, headers, body: payload });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value) this.cookies.set(name!, value);
      else this.cookies.delete(name!);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    const json = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : null;
    if (json !== null) Browser.answers.push(text);
    return { status: response.status, body: json, bytes, text, headers: response.headers, setCookie: response.headers.getSetCookie() };
  }
}

/** A form with one file in the field `file`. */
export function fileForm(bytes: Buffer, filename: string, type: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}
