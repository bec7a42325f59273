import type { PluginContext } from '@brickyard/sdk';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MailTransport } from './mail';
import type { AccountsSettings } from './settings';

/**
 * The default transport: each mail is a file in `$BRICKYARD_HOME/outbox/`
 * (private to the server's user, whole or not at all), and the log says one was
 * written, without its contents — a reset link is a credential and never goes
 * to a log.
 */
export function outboxTransport(context: PluginContext<AccountsSettings>): MailTransport {
  return {
    async send(mail) {
      const dir = path.resolve(String(context.platformSetting('BRICKYARD_HOME') ?? '.brickyard'), 'outbox');
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`);
      const from = context.settings.get('ACCOUNTS_MAIL_FROM');
      const message = `To: ${mail.to}\nSubject: ${mail.subject}\nFrom: ${from}\nContent-Type: text/plain; charset=utf-8\n\n${mail.text}\n`;
      // Written aside, then renamed: whoever reads the outbox never sees half a mail.
      const partial = path.join(dir, `.${path.basename(file)}.partial`);
      await fs.promises.writeFile(partial, message, { mode: 0o600 });
      await fs.promises.rename(partial, file);
      context.logger.info({ to: mail.to, subject: mail.subject, file: path.basename(file) }, 'mail written to the outbox');
    },
  };
}
