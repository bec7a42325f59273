import { maskSecrets, type PluginContext } from '@brickyard/sdk';
import { outboxTransport } from './mail-outbox';
import { smtpTransport } from './mail-smtp';
import type { AccountsSettings } from './settings';

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
 * The transport named by ACCOUNTS_MAIL_TRANSPORT, chosen again for every mail,
 * so a changed setting applies to the next one.
 */
export function mailTransport(context: PluginContext<AccountsSettings>): MailTransport {
  return {
    send: (mail) => (context.settings.get('ACCOUNTS_MAIL_TRANSPORT') === 'smtp' ? smtpTransport(context) : outboxTransport(context)).send(mail),
  };
}

/**
 * What a failed send may say in a log: never the mail (it holds a link that is a
 * credential) nor the SMTP URL's password. A server's answer can quote the mail
 * back, so token-like runs of characters are cut out of the message too.
 */
export function describeMailFailure(error: unknown): Record<string, unknown> {
  const e = error as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
  const message = String(maskSecrets(String(e?.message ?? error))).replace(/[A-Za-z0-9_-]{20,}/g, '…');
  return { code: e?.code, responseCode: e?.responseCode, command: e?.command, message };
}
