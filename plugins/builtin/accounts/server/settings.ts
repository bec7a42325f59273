import { defineSetting, integer, text } from '@brickyard/sdk';
import { z } from 'zod';

/** The accounts plugin's settings (section `accounts` of GET /api/admin/config). */
export const accountsSettings = {
  ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT: defineSetting({
    default: 5, schema: integer(1, 1000),
    description: 'Failed sign-ins to one account within ACCOUNTS_LOGIN_WINDOW_MINUTES before further tries are refused with 429.',
  }),
  ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS: defineSetting({
    default: 20, schema: integer(1, 100_000),
    description: 'Failed sign-ins from one client address within ACCOUNTS_LOGIN_WINDOW_MINUTES before further tries are refused with 429.',
  }),
  ACCOUNTS_LOGIN_WINDOW_MINUTES: defineSetting({
    default: 15, schema: integer(1, 24 * 60),
    description: 'The window over which failed sign-ins are counted.',
  }),
  ACCOUNTS_RESET_TTL_MINUTES: defineSetting({
    default: 30, schema: integer(5, 24 * 60),
    description: 'How long a password reset link works (once).',
  }),
  ACCOUNTS_RESETS_PER_HOUR: defineSetting({
    default: 5, schema: integer(1, 1000),
    description: 'Password reset requests one client address may make per hour; more are refused with 429.',
  }),
  ACCOUNTS_AVATAR_MAX_BYTES: defineSetting({
    // MEDIUMBLOB holds 16 MiB, and a row travels in one packet (max_allowed_packet is 16 MiB by default).
    default: 1024 * 1024, schema: integer(1024, 8 * 1024 * 1024),
    description: 'Largest avatar upload in bytes (PNG, JPEG, GIF or WebP); a larger one is refused with 413.',
  }),
  ACCOUNTS_MAIL_TRANSPORT: defineSetting({
    default: 'outbox' as 'outbox' | 'smtp', schema: z.enum(['outbox', 'smtp']),
    description: 'How mail (password reset links) is sent: outbox writes files to $BRICKYARD_HOME/outbox/, smtp sends through ACCOUNTS_SMTP_URL. Read for every mail.',
  }),
  ACCOUNTS_SMTP_URL: defineSetting({
    default: '', secret: true,
    schema: z.union([z.literal(''), z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://[user:password@]host[:port] or smtps://…')]),
    description: 'The SMTP server for ACCOUNTS_MAIL_TRANSPORT=smtp: smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465. Secret: masked wherever settings are listed.',
  }),
  ACCOUNTS_MAIL_FROM: defineSetting({
    default: 'Brickyard <no-reply@localhost>', schema: text(),
    description: 'The From of mail the platform sends.',
  }),
};

export type AccountsSettings = typeof accountsSettings;
