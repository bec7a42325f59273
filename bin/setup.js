#!/usr/bin/env node
'use strict';
// Prepares this machine for `npm start` / `npm test`, using nothing but Node:
// installs the npm dependencies when they are missing or stale, builds the
// browser app when its sources changed (bin/build-client.js), and makes sure
// MySQL/MariaDB and Redis answer at DATABASE_URL and REDIS_URL (starting them
// when installed but stopped; installing them on Debian as root; otherwise
// stopping with what to do).
const { execSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const say = (message) => console.log(`[setup] ${message}`);

function fail(message) {
  console.error(`\n[setup] ${message}\n`);
  process.exit(1);
}

function run(command, options = {}) {
  say(`$ ${command}`);
  const result = spawnSync(command, { shell: true, stdio: 'inherit', cwd: root, ...options });
  return result.status === 0;
}

function installDependencies() {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const stale = !fs.existsSync(installed) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs);
  if (!stale) return;
  // --prefer-offline: packages already in npm's cache are not revalidated against the registry
  // (a fresh clone on a machine that has installed them before: 27 s instead of 48 s here).
  if (fs.existsSync(lock) && run('npm ci --no-audit --no-fund --prefer-offline')) return;
  // A registry mirror that lacks some platform's optional binaries can leave the
  // lock file out of step with it; `npm install` resolves against what it serves.
  if (!run('npm install --no-audit --no-fund --prefer-offline')) {
    fail('installing the npm dependencies failed (see above). Check that the npm registry is reachable, then run npm ci.');
  }
}

function answers(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(host, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await answers(host, port, 250)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const has = (file) => fs.existsSync(file);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = has('/etc/debian_version') && has('/usr/bin/apt-get');
const isLocal = (host) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);

function aptInstall(pkg) {
  return run(`DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkg}`) ||
    (run('apt-get update') && run(`DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkg}`));
}

const services = {
  mysql: {
    label: 'MySQL/MariaDB',
    binaries: ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'],
    debianPackage: 'mariadb-server',
    start(binary) {
      fs.mkdirSync('/run/mysqld', { recursive: true });
      spawnSync('chown', ['mysql:mysql', '/run/mysqld']);
      return run(`start-stop-daemon --start --oknodo --background --exec ${binary}`) || run('service mariadb start');
    },
    afterInstall() {
      // Debian's root account authenticates by unix socket; the platform connects over TCP.
      run(`mariadb -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;"`);
      createPlatformAccount();
    },
    manual: 'install MariaDB or MySQL (Debian/Ubuntu: sudo apt-get install mariadb-server; macOS: brew install mariadb && brew services start mariadb), make it listen on the host and port of DATABASE_URL, or set DATABASE_URL to a server you have (mysql://user:password@host:3306/brickyard).',
  },
  redis: {
    label: 'Redis',
    binaries: ['/usr/bin/redis-server', '/usr/local/bin/redis-server'],
    debianPackage: 'redis-server',
    start(binary, port) {
      fs.mkdirSync('/var/lib/redis', { recursive: true });
      return run(`${binary} --daemonize yes --bind 127.0.0.1 -::1 --port ${port} --save "" --appendonly no --dir /var/lib/redis`);
    },
    afterInstall() {},
    manual: 'install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis && brew services start redis), or set REDIS_URL to a server you have (redis://host:6379).',
  },
};

/**
 * On a MariaDB this script installed: an account with rights on the platform's
 * two databases only (bin/database-account.js), its URL written to
 * $BRICKYARD_HOME/database-url (mode 0600) for DATABASE_URL.
 */
function createPlatformAccount() {
  const crypto = require('node:crypto');
  const { accountStatements } = require('./database-account');
  const home = path.resolve(root, process.env.BRICKYARD_HOME || '.brickyard');
  const password = crypto.randomBytes(18).toString('base64url');
  const statements = accountStatements({ user: 'brickyard', password, appDatabase: 'brickyard', snapshotDatabase: 'brickyard_igem' });
  const result = spawnSync('mariadb', [], { input: statements.join(';\n') + ';\n', stdio: ['pipe', 'inherit', 'inherit'] });
  if (result.status !== 0) return say('could not create the brickyard database account (see above); the platform will use root');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = path.join(home, 'database-url');
  fs.writeFileSync(file, `mysql://brickyard:${password}@127.0.0.1:3306/brickyard\n`, { mode: 0o600 });
  say(`created the database account brickyard (rights on brickyard and brickyard_igem only); use it with: export DATABASE_URL=$(cat ${path.relative(root, file)})`);
}

async function ensureService(kind, url, defaultPort) {
  const service = services[kind];
  const parsed = new URL(url);
  const host = parsed.hostname || '127.0.0.1';
  const port = Number(parsed.port || defaultPort);
  if (await answers(host, port)) return;
  if (!isLocal(host)) fail(`${service.label} does not answer at ${host}:${port} (from ${kind === 'mysql' ? 'DATABASE_URL' : 'REDIS_URL'}). Start it there, or point the URL at a server that runs.`);
  let binary = service.binaries.find(has);
  if (!binary && isDebian && isRoot) {
    say(`${service.label} is not installed: installing ${service.debianPackage}`);
    if (!aptInstall(service.debianPackage)) fail(`could not install ${service.debianPackage}; ${service.manual}`);
    binary = service.binaries.find(has);
    if (binary) {
      service.start(binary, port);
      if (await waitFor(host, port, 30)) service.afterInstall();
    }
  }
  if (!binary) fail(`${service.label} is not installed and cannot be installed automatically here: ${service.manual}`);
  if (!(await answers(host, port))) {
    say(`${service.label} is installed but not running: starting it`);
    service.start(binary, port);
  }
  if (!(await waitFor(host, port, 30))) fail(`${service.label} was started but does not answer at ${host}:${port} after 30 s. Check its log (journalctl, /var/log/mysql, /var/log/redis).`);
  say(`${service.label} answers at ${host}:${port}`);
}

/** Builds the browser app when its sources changed since the last build (bin/build-client.js; skipped in well under a second otherwise). */
async function buildClient() {
  try {
    await require('./build-client').buildClient({ log: say });
  } catch (error) {
    fail(`building the browser app (client/) failed: ${error.message}\nFix the error above, or rebuild alone with: node bin/build-client.js`);
  }
}

async function main() {
  installDependencies();
  await buildClient();
  await ensureService('mysql', process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/brickyard', 3306);
  await ensureService('redis', process.env.REDIS_URL || 'redis://127.0.0.1:6379', 6379);
}

main().catch((error) => fail(error.stack || String(error)));
