/**
 * One user's browser against a test server: keeps the cookies it is given and,
 * like the app, echoes the CSRF cookie in X-CSRF-Token on every call (unless
 * told not to, or told which token to send), so tests act as a signed-in
 * person would.
 */
export class BrowserSession {
  /** Every JSON answer any session got: a test can check that none holds a secret. */
  static readonly answers: string[] = [];
  readonly cookies = new Map<string, string>();

  /** `baseUrl` may be a function, for sessions made before the server starts. */
  constructor(private readonly baseUrl: string | (() => string)) {}

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /**
   * A JSON request, or a multipart one when `body` is a FormData. `csrf`:
   * false sends no token, a string sends that one (a forged one).
   */
  async call(method: string, route: string, body?: unknown, options: { csrf?: boolean | string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { cookie: this.header(), ...options.headers };
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers['content-type'] = 'application/json';
    const csrf = typeof options.csrf === 'string' ? options.csrf : options.csrf === false ? undefined : this.cookies.get('brickyard_csrf');
    if (csrf) headers['x-csrf-token'] = csrf;
    const payload = body === undefined ? undefined : form ? body : JSON.stringify(body);
    const base = typeof this.baseUrl === 'function' ? this.baseUrl() : this.baseUrl;
    const response = await fetch(base + route, { method, headers, body: payload });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value) this.cookies.set(name!, value);
      else this.cookies.delete(name!);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    let parsed: any = null;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) {
      parsed = JSON.parse(text);
      BrowserSession.answers.push(text);
    } else if (text) {
      parsed = text;
    }
    return { status: response.status, body: parsed, bytes, text, setCookie: response.headers.getSetCookie(), headers: response.headers };
  }

  /** Registers and signs in (the response of the sign-up). */
  register(username: string, password = `${username} has a long passphrase`) {
    return this.call('POST', '/api/auth/register', { username, email: `${username}@example.org`, password });
  }
}
