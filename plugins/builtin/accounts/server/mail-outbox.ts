import type { PluginContext } from '@brickyard/sdk';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Where mail goes: how the platform reaches a person (a password reset link). */
export interface MailTransport {
  send(mail: Mail): Promise<void>;
}

/**
 * The default transport: each mail is a file in `$BRICKYARD_HOME/outbox/`
 * (private to the server's user), and the log says one was written, without
 * its contents — a reset link is a credential and never goes to a log.
 */
export function outboxTransport(context: PluginContext): MailTransport {
  return {
    async send(mail) {
      const dir = path.resolve(String(context.platformSetting('BRICKYARD_HOME') ?? '.brickyard'), 'outbox');
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`);
      const message = `To: ${mail.to}\nSubject: ${mail.subject}\nContent-Type: text/plain; charset=utf-8\n\n${mail.text}\n`;
      await fs.promises.writeFile(file, message, { mode: 0o600 });
      context.logger.info({ to: mail.to, subject: mail.subject, file: path.basename(file) }, 'mail written to the outbox');
    },
  };
}
