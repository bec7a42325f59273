/**
 * One user's browser against a test server: keeps the cookies it is given and,
 * like the app, echoes the CSRF cookie in X-CSRF-Token on every call (unless
 * told not to), so tests act as a signed-in person would.
 */
export class BrowserSession {
  readonly cookies = new Map<string, string>();

  /** `baseUrl` may be a function, for sessions made before the server starts. */
  constructor(private readonly baseUrl: string | (() => string)) {}

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async call(method: string, route: string, body?: unknown, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { cookie: this.header(), ...options.headers };
    if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    if (options.csrf !== false && this.cookies.get('brickyard_csrf')) headers['x-csrf-token'] = this.cookies.get('brickyard_csrf')!;
    const payload = body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body);
    const base = typeof this.baseUrl === 'function' ? this.baseUrl() : this.baseUrl;
    const response = await fetch(base + route, { method, headers, body: payload });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value) this.cookies.set(name!, value);
      else this.cookies.delete(name!);
    }
    const text = await response.text();
    let parsed: any = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed, setCookie: response.headers.getSetCookie(), text, headers: response.headers };
  }

  /** Registers and signs in (the response of the sign-up). */
  register(username: string, password = `${username} has a long passphrase`) {
    return this.call('POST', '/api/auth/register', { username, email: `${username}@example.org`, password });
  }
}
