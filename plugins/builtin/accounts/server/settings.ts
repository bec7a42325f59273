import { defineSetting, integer } from '@brickyard/sdk';

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
};

export type AccountsSettings = typeof accountsSettings;
