import { describe, expect, test } from 'vitest';
import { Config, ConfigError } from './config';
import { settings } from './settings';

describe('Config', () => {
  test('defaults, then environment, then overrides', () => {
    const config = new Config({ PORT: '4000', SITE_TITLE: 'From env' }, { SITE_TITLE: 'From admin' });
    expect(config.get('PORT')).toBe(4000);
    expect(config.get('SITE_TITLE')).toBe('From admin');
    expect(config.get('LOG_LEVEL')).toBe('info');
    expect(config.get('PLUGINS_WATCH')).toBe(true);
    expect(new Config({ PLUGINS_WATCH: 'false' }).get('PLUGINS_WATCH')).toBe(false);
  });

  test('read-only settings ignore overrides', () => {
    expect(new Config({}, { PORT: 9999 }).get('PORT')).toBe(3000);
  });

  test('an invalid environment value is an error naming the setting', () => {
    expect(() => new Config({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => new Config({ PORT: 'eighty' })).toThrow(/^PORT from the environment is invalid \("eighty"\): /);
    expect(() => new Config({ DATABASE_URL: 'postgres://x' })).toThrow(/must start with mysql:\/\/ or mariadb:\/\//);
  });

  test('an invalid stored override is ignored rather than fatal', () => {
    expect(new Config({}, { LOG_LEVEL: 'loud' }).get('LOG_LEVEL')).toBe('info');
  });

  test('describe() documents every setting and masks secrets', () => {
    const described = new Config({ DATABASE_URL: 'mysql://u:pw@db/x' }).describe();
    expect(described).toHaveLength(settings.length);
    const database = described.find((s) => s.key === 'DATABASE_URL')!;
    expect(database).toMatchObject({ value: '********', default: '********', secret: true, source: 'environment' });
    expect(JSON.stringify(described)).not.toContain('pw@');
  });

  test('every setting is fully declared', () => {
    for (const s of settings) {
      expect(s.key).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(s.section).toBeTruthy();
      expect(s.description.length).toBeGreaterThan(15);
    }
  });
});

test('BRICKYARD_HOME is created private (0700), and one left open by the umask is tightened', async () => {
  const { ensurePrivateDir } = await import('./home');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'home-'));
  const fresh = ensurePrivateDir(path.join(parent, 'fresh'));
  expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
  const open = path.join(parent, 'open');
  fs.mkdirSync(open, { mode: 0o755 });
  ensurePrivateDir(open);
  expect(fs.statSync(open).mode & 0o777).toBe(0o700);
});
