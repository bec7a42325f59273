import type { PluginContext } from '@brickyard/sdk';
import { createTransport } from 'nodemailer';
import type { MailTransport } from './mail';
import type { AccountsSettings } from './settings';

/**
 * Sends through the SMTP server of ACCOUNTS_SMTP_URL (`smtp://user:pass@host:587`,
 * or `smtps://` for TLS from the first byte), from ACCOUNTS_MAIL_FROM. One
 * connection per mail: resets are rare, and a changed URL applies at once.
 */
export function smtpTransport(context: PluginContext<AccountsSettings>): MailTransport {
  return {
    async send(mail) {
      const url = context.settings.get('ACCOUNTS_SMTP_URL');
      if (!url) throw new Error('ACCOUNTS_MAIL_TRANSPORT is smtp but ACCOUNTS_SMTP_URL is not set');
      const transport = createTransport(url);
      try {
        const sent = await transport.sendMail({ from: context.settings.get('ACCOUNTS_MAIL_FROM'), to: mail.to, subject: mail.subject, text: mail.text });
        context.logger.info({ to: mail.to, subject: mail.subject, messageId: sent.messageId }, 'mail sent by SMTP');
      } finally {
        transport.close();
      }
    },
  };
}
