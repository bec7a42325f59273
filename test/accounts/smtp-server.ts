import * as net from 'node:net';

/** One message as the SMTP server received it. */
export interface ReceivedMail {
  /** The credentials of `AUTH PLAIN`, if the client signed in. */
  auth?: { user: string; password: string };
  from: string;
  to: string[];
  /** Headers and body as sent after DATA (dot-stuffing undone). */
  data: string;
}

/** The body of a received message, its transfer encoding (quoted-printable or base64) undone. */
export function bodyOf(data: string): string {
  const split = data.indexOf('\r\n\r\n');
  const headers = data.slice(0, split);
  const body = data.slice(split + 4);
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/**
 * A minimal SMTP server (RFC 5321: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA,
 * RSET, NOOP, QUIT) on 127.0.0.1 that keeps what it receives. With
 * `rejectData`, it refuses each message after reading it (kept in `refused`),
 * quoting a line of it back in its answer, as some servers do: the line with
 * a link, to check that what the client logs of a failure never holds one.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const refused: ReceivedMail[] = [];
  const state = { rejectData: false };
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let mail: Partial<ReceivedMail> & { to: string[] } = { to: [] };
    let auth: ReceivedMail['auth'];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 test.local ESMTP ready');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buffer.slice(0, end).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          const message = { auth, from: mail.from ?? '', to: mail.to, data };
          if (state.rejectData) {
            refused.push(message);
            const quoted = bodyOf(data).split('\n').find((l) => l.includes('token')) ?? '';
            reply(`554 5.7.1 message refused: ${quoted.trim()}`);
          } else {
            received.push(message);
            reply('250 2.0.0 queued');
          }
          mail = { to: [] };
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO') reply('250-test.local\r\n250-AUTH PLAIN\r\n250 8BITMIME');
        else if (verb === 'HELO') reply('250 test.local');
        else if (verb === 'AUTH') {
          const [, user, password] = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8').split('\0');
          auth = { user: user ?? '', password: password ?? '' };
          reply('235 2.7.0 authenticated');
        } else if (verb === 'MAIL') {
          mail.from = /<(.*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          mail.to.push(/<(.*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET') {
          mail = { to: [] };
          reply('250 2.0.0 ok');
        } else if (verb === 'NOOP') reply('250 2.0.0 ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
          return;
        } else reply('502 5.5.2 command not implemented');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    refused,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
