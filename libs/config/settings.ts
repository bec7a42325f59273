import * as os from 'node:os';
import { z } from 'zod';
import { boolean, defineSetting, integer, text } from './setting';

/**
 * Every setting of the platform. Keys are the environment variable names.
 * Admin overrides (stored in the database) apply to settings that are not read-only,
 * and take effect at the next reload of the cluster.
 */
export const settings = [
  defineSetting({
    key: 'PORT', section: 'server', readOnly: true, default: 3000,
    schema: integer(0, 65535), description: 'TCP port the HTTP workers share.',
  }),
  defineSetting({
    key: 'WORKERS', section: 'server', readOnly: true,
    default: () => Math.max(1, os.availableParallelism()), defaultDoc: 'number of cores',
    schema: integer(1, 256), description: 'Number of HTTP worker processes the primary forks.',
  }),
  defineSetting({
    key: 'JOB_WORKERS', section: 'server', readOnly: true, default: 1,
    schema: integer(0, 64), description: 'Background job workers the primary forks (more can run anywhere with `brickyard worker`).',
  }),
  defineSetting({
    key: 'JOB_WORKER_QUEUES', section: 'server', readOnly: true, default: '',
    schema: z.string().regex(/^([a-z][a-z0-9-]{0,40}(,[a-z][a-z0-9-]{0,40})*)?$/, 'must be queue names separated by commas'),
    description: 'Queues the forked job workers take tasks from, comma-separated; empty means every queue.',
  }),
  defineSetting({
    key: 'HTTP_HEADERS_TIMEOUT_MS', section: 'server', readOnly: true, default: 10_000,
    schema: integer(1000, 600_000), description: "Time a client has to send a request's headers; a client trickling them is disconnected.",
  }),
  defineSetting({
    key: 'HTTP_REQUEST_TIMEOUT_MS', section: 'server', readOnly: true, default: 120_000,
    schema: integer(1000, 3_600_000), description: 'Time a client has to send a whole request (body included) before it is disconnected.',
  }),
  defineSetting({
    key: 'HTTP_MAX_CONNECTIONS', section: 'server', readOnly: true, default: 60_000,
    schema: integer(10, 1_000_000), description: 'Connections one HTTP worker keeps open at once, websockets included; more are refused.',
  }),
  defineSetting({
    key: 'TRUST_PROXY_HOPS', section: 'server', readOnly: true, default: 0,
    schema: integer(0, 10),
    description: 'Reverse proxies in front of the workers: the client address is then read from X-Forwarded-For, this many entries from its end (0: the socket address, X-Forwarded-For ignored).',
  }),
  defineSetting({
    key: 'BRICKYARD_HOME', section: 'server', readOnly: true, default: '.brickyard',
    schema: text(), description: 'Folder for the admin token, the pid file and the plugin build cache.',
  }),
  defineSetting({
    key: 'DATABASE_URL', section: 'database', readOnly: true, secret: true,
    default: 'mysql://root@127.0.0.1:3306/brickyard',
    schema: z.string().regex(/^(mysql|mariadb):\/\//, 'must start with mysql:// or mariadb://'),
    description: 'The app database. Processes that share it form one cluster; it is created when missing.',
  }),
  defineSetting({
    key: 'SNAPSHOT_DATABASE', section: 'database', readOnly: true, default: '', defaultDoc: 'the app database name + `_igem`',
    schema: z.string().regex(/^([A-Za-z0-9_$]{1,64})?$/, 'must be a database name of letters, digits and _'),
    description: 'Database holding the imported iGEM snapshot, on the same server as DATABASE_URL.',
  }),
  defineSetting({
    key: 'DATABASE_POOL_SIZE', section: 'database', readOnly: true, default: 10,
    schema: integer(1, 1000), description: 'MySQL connections per process.',
  }),
  defineSetting({
    key: 'REDIS_URL', section: 'database', readOnly: true, secret: true, default: 'redis://127.0.0.1:6379',
    schema: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
    description: 'Redis, used for the cluster control bus (and later queues and websocket fan-out).',
  }),
  defineSetting({
    key: 'PLUGINS_DIR', section: 'plugins', readOnly: true, default: 'plugins',
    schema: text(),
    description: `Folder(s) holding one plugin per subfolder; several are separated by "${process.platform === 'win32' ? ';' : ':'}".`,
  }),
  defineSetting({
    key: 'PLUGINS_WATCH', section: 'plugins', readOnly: true, default: true,
    schema: boolean(), description: 'Reload when a file under PLUGINS_DIR changes.',
  }),
  defineSetting({
    key: 'PLUGINS_WATCH_DEBOUNCE_MS', section: 'plugins', readOnly: true, default: 150,
    schema: integer(0, 60_000), description: 'Quiet time after the last file change before the cluster reloads.',
  }),
  defineSetting({
    key: 'PLUGIN_SUBMISSIONS_ALLOW_FILE_URLS', section: 'plugins', readOnly: true, default: false,
    schema: boolean(),
    description: 'Let users submit plugins from file:// repositories on the server\'s own disk (tests and single-user setups only: otherwise any user could make the server read its files); https:// is always allowed.',
  }),
  defineSetting({
    key: 'PLUGIN_SUBMISSIONS_MAX_FILES', section: 'plugins', default: 300,
    schema: integer(1, 5000), description: 'Most files a submitted plugin may have (its whole tree at the pinned commit).',
  }),
  defineSetting({
    key: 'PLUGIN_SUBMISSIONS_MAX_BYTES', section: 'plugins', default: 2 * 1024 * 1024,
    schema: integer(1024, 16 * 1024 * 1024), description: 'Largest total size of a submitted plugin\'s files, in bytes (they are stored in the database, so every host mounts the same code).',
  }),
  defineSetting({
    key: 'PLUGIN_SUBMISSIONS_FETCH_TIMEOUT_MS', section: 'plugins', default: 60_000,
    schema: integer(1000, 600_000), description: 'How long fetching a submitted repository may take before it is abandoned.',
  }),
  defineSetting({
    key: 'PLUGIN_SUBMISSIONS_PER_HOUR', section: 'plugins', default: 10,
    schema: integer(1, 10_000), description: 'Plugin submissions one user may make per hour (admins are not counted); more are refused with 429.',
  }),
  defineSetting({
    key: 'RELOAD_TIMEOUT_MS', section: 'plugins', default: 30_000,
    schema: integer(100, 600_000), description: 'How long a reload call waits for every process to converge.',
  }),
  defineSetting({
    key: 'DRAIN_TIMEOUT_MS', section: 'plugins', default: 10_000,
    schema: integer(0, 600_000),
    description: 'How long a replaced generation may finish its in-flight requests before it is closed.',
  }),
  defineSetting({
    key: 'WS_MAX_FRAME_BYTES', section: 'realtime', readOnly: true, default: 65_536,
    schema: integer(128, 64 * 1024 * 1024), description: 'Largest websocket frame accepted; a larger one closes that connection (code 1009).',
  }),
  defineSetting({
    key: 'WS_RATE_PER_SECOND', section: 'realtime', readOnly: true, default: 50,
    schema: integer(1, 100_000), description: 'Frames per second a connection may send on average; extra frames get a rate_limited error.',
  }),
  defineSetting({
    key: 'WS_RATE_BURST', section: 'realtime', readOnly: true, default: 100,
    schema: integer(1, 100_000), description: 'Frames a connection may send at once before WS_RATE_PER_SECOND applies.',
  }),
  defineSetting({
    key: 'WS_MAX_CONNECTIONS', section: 'realtime', readOnly: true, default: 50_000,
    schema: integer(1, 10_000_000), description: 'Websocket connections per HTTP worker; further upgrades are refused with 503.',
  }),
  defineSetting({
    key: 'WS_HEARTBEAT_MS', section: 'realtime', readOnly: true, default: 30_000,
    schema: integer(100, 3_600_000), description: 'Interval of server pings; a peer that has not answered the previous one is dropped.',
  }),
  defineSetting({
    key: 'WS_MAX_TOPICS', section: 'realtime', readOnly: true, default: 100,
    schema: integer(1, 100_000), description: 'Topics one websocket connection may follow at once.',
  }),
  defineSetting({
    key: 'WS_ALLOWED_ORIGINS', section: 'realtime', default: '',
    schema: z.string().regex(/^(https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*)?$/, 'must be origins like https://parts.example.org, separated by commas'),
    description: 'Origins of browser pages that may open websockets, comma-separated; empty means the same origin as the server (pages elsewhere are refused).',
  }),
  defineSetting({
    key: 'TASKS_DEFAULT_TIMEOUT_MS', section: 'tasks', default: 10 * 60_000,
    schema: integer(100, 7 * 24 * 3_600_000), description: 'Hard time limit of a task attempt when its kind sets none.',
  }),
  defineSetting({
    key: 'TASKS_PER_USER_LIMIT', section: 'tasks', default: 5,
    schema: integer(1, 10_000), description: 'Queued and running tasks one owner may have at once; more are refused with 429.',
  }),
  defineSetting({
    key: 'TASKS_MAX_PAYLOAD_BYTES', section: 'tasks', default: 16_384,
    schema: integer(256, 16_777_216), description: "Largest params of a submission and largest result of a task, as JSON; larger params are refused with 413, a larger result fails the task.",
  }),
  defineSetting({
    key: 'TASKS_SUBMISSIONS_PER_MINUTE', section: 'tasks', default: 60,
    schema: integer(1, 100_000), description: 'Submissions one owner may make per minute (admins and the platform itself are not counted); more are refused with 429.',
  }),
  defineSetting({
    key: 'TASKS_CONCURRENCY', section: 'tasks', readOnly: true, default: 4,
    schema: integer(1, 1000), description: 'Tasks one job worker runs at once, per queue.',
  }),
  defineSetting({
    key: 'TASKS_GLOBAL_CONCURRENCY', section: 'tasks', default: 32,
    schema: integer(1, 100_000), description: 'Tasks running at once per queue across the whole cluster.',
  }),
  defineSetting({
    key: 'TASKS_RESULT_TTL_HOURS', section: 'tasks', default: 7 * 24,
    schema: integer(1, 24 * 365), description: 'How long finished tasks, with their results and errors, are kept.',
  }),
  defineSetting({
    key: 'TASKS_LOCK_MS', section: 'tasks', readOnly: true, default: 30_000,
    schema: integer(1000, 3_600_000),
    description: 'How long a job worker holds a running task without renewing; after it, a task whose worker died is retried or failed.',
  }),
  defineSetting({
    key: 'SESSION_TTL_HOURS', section: 'security', default: 336,
    schema: integer(1, 24 * 365), description: 'How long a signed-in session lasts without a new sign-in (two weeks by default).',
  }),
  defineSetting({
    key: 'LOG_LEVEL', section: 'logging', default: 'info',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    description: 'Minimum level of the JSON logs written to stdout.',
  }),
  defineSetting({
    key: 'SITE_TITLE', section: 'site', default: 'Brickyard',
    schema: z.string().min(1).max(80), description: 'Name shown by the web client and the API.',
  }),
] as const;

export type SettingKey = (typeof settings)[number]['key'];
