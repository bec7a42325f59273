'use strict';
/**
 * The baseline of bench/parts-api.ts: a bare `node:http` server with one mysql2
 * pool (10 connections, as DATABASE_POOL_SIZE) running the same SQL as
 * libs/parts/api/parts.repository.ts (copied) and shaping the answers as
 * parts.controller.ts does.
 *
 *   GET /api/parts?q=<words>[&page=&max_results=]   ranked page from the best FULLTEXT matches + count
 *   GET /api/parts/<name>                           view lookup, then features + subparts + used-in + twins
 *                                                   + the weight's components (the SQL of
 *                                                   partComponentsQuery, generated from the strategies,
 *                                                   comes as text in COMPONENTS_SQL from the benchmark)
 *   GET /with-extras/api/parts/<name>               the same plus the part_extras freshness query the
 *                                                   route's PartEnricher.refreshIfNeeded runs
 *
 * Usage: node bench/lib/parts-bare-server.js <appDatabase> <snapshotDatabase>; prints "PORT <n>".
 */
const http = require('node:http');
const mysql = require('mysql2/promise');

const [appDb, snapshot] = process.argv.slice(2);
const q = (name) => `\`${name.replace(/`/g, '``')}\``;
const S = q(snapshot);
const pool = mysql.createPool({
  host: '127.0.0.1', port: 3306, user: 'root', database: appDb, charset: 'utf8mb4_unicode_ci', timezone: 'Z',
  connectionLimit: 10, supportBigNumbers: true, bigNumberStrings: true,
});
const query = async (sql, params) => (await pool.query(sql, params))[0];
const COMPONENTS_SQL = process.env.COMPONENTS_SQL;
if (!COMPONENTS_SQL) throw new Error('COMPONENTS_SQL is not set: bench/parts-api.ts passes the SQL of partComponentsQuery');

// Copied from libs/parts/api/parts-search-sql.ts, relevance-top-k.ts and match-count.ts (words only: the
// benchmark sends no filters). Keep in step with them.
const LIST_COLUMNS = `part_id, part_name, short_desc, part_type, author, status, sample_status, works, creation_date, uses,
  sequence_length, nickname, categories, weight, stars, watches, rates, IF(rates > 0, ROUND(1e0 * rate_sum / rates, 3), NULL) AS rate_mean`;
const MATCH = 'MATCH(part_name, short_desc, description, author, nickname, categories) AGAINST (? IN NATURAL LANGUAGE MODE)';
const PARTS = `${S}.parts_filtered`;
const MAX_RANKED_DEPTH = 1000;
const FIRST_CANDIDATES = 1000;
const MAX_CANDIDATES = 64000;
const INDEX_COUNT_LIMIT = 5000;

async function countMatches(words) {
  const [{ n }] = await query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${PARTS} WHERE ${MATCH} LIMIT ${INDEX_COUNT_LIMIT}) probe`, [words]);
  const [{ total }] =
    Number(n) < INDEX_COUNT_LIMIT
      ? await query(`SELECT COUNT(*) AS total FROM parts WHERE ${MATCH}`, [words])
      : await query(
          `SELECT COUNT(*) AS total FROM ${PARTS} p STRAIGHT_JOIN part_weights w ON w.part_id = p.part_id
           LEFT JOIN ${S}.parts_sequences s ON s.part_id = p.part_id
           WHERE (${MATCH}) + 0 > 0`,
          [words],
        );
  return Number(total);
}

async function rankedPage(words, page, perPage) {
  const depth = page * perPage;
  if (depth > MAX_RANKED_DEPTH) return undefined;
  let n = Math.max(FIRST_CANDIDATES, depth * 16);
  while (n <= MAX_CANDIDATES) {
    const candidates = await query(
      `SELECT c.candidate_id, c.rel, c.rel * (0.5 + weight) AS relevance, (SELECT MAX(weight) FROM part_weights) AS max_weight
       FROM (SELECT part_id AS candidate_id, ${MATCH} AS rel FROM ${PARTS} WHERE ${MATCH} LIMIT ${n}) c
       LEFT JOIN parts ON parts.part_id = c.candidate_id`,
      [words, words],
    );
    const complete = candidates.length < n;
    const scores = candidates.filter((c) => c.relevance !== null).map((c) => Number(c.relevance)).sort((a, b) => b - a);
    const kth = scores[depth - 1];
    if (!complete) {
      const lowestRead = candidates.reduce((lowest, c) => Math.min(lowest, Number(c.rel)), Infinity);
      const blend = 0.5 + Number(candidates[0].max_weight);
      if (kth === undefined || !(blend > 0 && kth > lowestRead * blend)) {
        n *= Math.max(4, Math.ceil((2 * depth) / Math.max(1, scores.length)));
        continue;
      }
    }
    const threshold = kth === undefined ? -Infinity : kth;
    const needed = candidates.filter((c) => c.relevance !== null && Number(c.relevance) >= threshold).map((c) => [Number(c.candidate_id), Number(c.relevance)]);
    const items = needed.length
      ? await query(
          `SELECT ${LIST_COLUMNS}, c.relevance
           FROM JSON_TABLE(?, '$[*]' COLUMNS (candidate_id INT PATH '$[0]', relevance DOUBLE PATH '$[1]')) c
           JOIN parts ON parts.part_id = c.candidate_id
           ORDER BY c.relevance DESC, part_name ASC LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`,
          [JSON.stringify(needed)],
        )
      : [];
    return { items, total: complete ? scores.length : undefined };
  }
  return undefined;
}

async function search(params) {
  const words = (params.get('q') || '').replace(/[+\-<>()~*"@]/g, ' ').trim();
  const perPage = Number(params.get('max_results') || 25);
  const page = Number(params.get('page') || 1);
  let total;
  let items;
  if (words) {
    const counted = countMatches(words);
    counted.catch(() => {});
    const ranked = await rankedPage(words, page, perPage);
    if (ranked && ranked.total !== undefined) {
      ({ items, total } = ranked);
    } else {
      items = ranked
        ? ranked.items
        : await query(
            `SELECT ${LIST_COLUMNS}, ${MATCH} * (0.5 + weight) AS relevance FROM parts WHERE ${MATCH}
             ORDER BY relevance DESC, part_name ASC LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`,
            [words, words],
          );
      total = await counted;
    }
  } else {
    [{ total }] = await query('SELECT COUNT(*) AS total FROM parts', []);
    items = await query(`SELECT ${LIST_COLUMNS} FROM parts ORDER BY weight DESC, part_name ASC LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`, []);
  }
  total = Number(total);
  const last = Math.max(1, Math.ceil(total / perPage));
  const href = (n) => {
    const p = new URLSearchParams(params);
    p.set('page', String(n));
    return `/api/parts?${p}`;
  };
  const links = { self: href(page), first: href(1), last: href(last), ...(page > 1 ? { prev: href(page - 1) } : {}), ...(page < last ? { next: href(page + 1) } : {}) };
  return { items, page, per_page: perPage, total, links };
}

async function detail(name, withExtras) {
  const [part] = await query('SELECT *, IF(rates > 0, ROUND(1e0 * rate_sum / rates, 3), NULL) AS rate_mean FROM parts WHERE part_name = ?', [name]);
  if (!part) return undefined;
  const [features, subparts, usedIn, twins, ranking, extrasState] = await Promise.all([
    query(`SELECT feature_id, feature_type, start_pos, end_pos, label, reverse FROM ${S}.features WHERE part_id = ? ORDER BY start_pos, feature_id`, [part.part_id]),
    query(
      `SELECT s.kind, s.ordinal, c.part_name, c.short_desc, c.part_type, s.start_pos, s.end_pos
       FROM ${S}.subparts s LEFT JOIN ${S}.parts_filtered c ON c.part_id = s.child_id
       WHERE s.parent_id = ? ORDER BY s.kind DESC, s.ordinal`,
      [part.part_id],
    ),
    query(
      `SELECT DISTINCT p.part_name, p.short_desc, p.part_type FROM ${S}.subparts s
       JOIN ${S}.parts_filtered p ON p.part_id = s.parent_id
       WHERE s.child_id = ? AND s.kind = 'specified' ORDER BY p.part_name LIMIT 100`,
      [part.part_id],
    ),
    query(`SELECT part_name, short_desc, status FROM ${S}.parts_filtered WHERE seq_sha1 = ? AND part_name <> ? ORDER BY part_name`, [part.seq_sha1, part.part_name]),
    query(COMPONENTS_SQL, [part.part_id]).then(([row]) => row && { strategy: row.strategy, ranked_at: row.ranked_at, components: JSON.parse(row.components) }),
    withExtras
      ? query(
          `SELECT fetched_at, retry_after, fetched_at > CURRENT_TIMESTAMP(3) - INTERVAL ? DAY AS recent,
              retry_after IS NOT NULL AND retry_after > CURRENT_TIMESTAMP(3) AS backing_off
       FROM part_extras WHERE part_name = ?`,
          [10, part.part_name],
        ).then(([row]) => (!row || !row.fetched_at ? 'missing' : Number(row.recent) ? 'fresh' : 'stale'))
      : Promise.resolve('fresh'),
  ]);
  const compatibility = JSON.parse(part.compatibility);
  const { weight, extras, extras_fetched_at, compatibility: _c, seq_sha1: _s, specified_u_list: _u, deep_u_list: _d, ...fields } = part;
  return {
    ...fields,
    categories: String(part.categories || '').split(/\s+/).filter(Boolean),
    features,
    subparts: {
      specified: subparts.filter((s) => s.kind === 'specified').map(({ kind: _k, ...s }) => s),
      deep: subparts.filter((s) => s.kind === 'deep').map(({ kind: _k, ...s }) => s),
    },
    used_in: usedIn,
    twins,
    compatibility: Object.fromEntries(Object.entries(compatibility).map(([standard, sites]) => [standard, { compatible: sites.length === 0, sites }])),
    weight: { value: weight, strategy: ranking?.strategy ?? null, ranked_at: ranking?.ranked_at ?? null, components: ranking?.components ?? null },
    extras: extras ? JSON.parse(extras) : null,
    extras_fetched_at,
    extras_state: extrasState,
  };
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://x');
    const withExtras = url.pathname.startsWith('/with-extras/');
    const pathname = withExtras ? url.pathname.slice('/with-extras'.length) : url.pathname;
    if (pathname === '/api/parts') return send(res, 200, await search(url.searchParams));
    const match = /^\/api\/parts\/([^/]+)$/.exec(pathname);
    if (match) {
      const part = await detail(decodeURIComponent(match[1]), withExtras);
      return part ? send(res, 200, part) : send(res, 404, { statusCode: 404, message: `no part named ${match[1]} in the live snapshot` });
    }
    send(res, 404, { statusCode: 404 });
  } catch (error) {
    send(res, 500, { statusCode: 500, message: String(error && error.message) });
  }
});
server.keepAliveTimeout = 65000;
server.headersTimeout = 66000;
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
process.on('SIGTERM', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});
