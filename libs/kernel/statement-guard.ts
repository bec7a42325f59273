/**
 * Checks the tables a SQL statement names against what a plugin may touch: its
 * own `<name>_` tables and prefixes granted by `tables:<prefix>`, never the
 * core's tables. MySQL grants cannot express "tables starting with", so the
 * check reads the statement:
 *
 * 1. one left-to-right pass strips string literals and comments (MySQL's
 *    executable comments `/*! … *\/` are refused: they are code);
 * 2. only statements of known kinds are let through (queries, data changes,
 *    tables, indexes and views of its own, transactions, a few SHOWs);
 *    accounts, databases, triggers, events, routines, DEFINER, locks, files,
 *    session and server settings are refused;
 * 3. every table after FROM, JOIN, INTO, UPDATE, TABLE, VIEW, LIKE, RENAME,
 *    INDEX … ON, USING (in DELETE) and in their comma lists is checked.
 *
 * It keeps a plugin's code to its own tables and tells its author what to ask
 * for; it is not a sandbox (a plugin runs in the platform's process).
 */
export class StatementRefused extends Error {}

export interface TableScope {
  plugin: string;
  /** The app database's name: names qualified with it are the same as unqualified ones. */
  database: string;
  /** Table name prefixes it may touch: `<name>_` and those granted. */
  prefixes: string[];
  /** Tables it may never touch, whatever the prefixes say (the core's). */
  excluded?: string[];
  /** Prefixes of other plugins that start with one of its own (`lab_notes_` for `lab`). */
  excludedPrefixes?: string[];
}

/** The statement with literals replaced by `''` and comments by a space; throws on an executable comment. */
export function codeOf(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; ) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && sql[j] !== c) j += sql[j] === '\\' ? 2 : 1;
      // A doubled quote continues the literal.
      while (sql[j] === c && sql[j + 1] === c) {
        j += 2;
        while (j < sql.length && sql[j] !== c) j += sql[j] === '\\' ? 2 : 1;
      }
      out += "''";
      i = j + 1;
    } else if (c === '`') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === '`' && sql[j + 1] !== '`')) j += sql[j] === '`' ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && next === '*') {
      if (sql[i + 2] === '!' || (sql[i + 2] === 'M' && sql[i + 3] === '!')) throw new StatementRefused('executable comments (/*! … */) are not allowed in a plugin\'s statements');
      const end = sql.indexOf('*/', i + 2);
      out += ' ';
      i = end < 0 ? sql.length : end + 2;
    } else if (c === '#' || (c === '-' && next === '-' && (i + 2 >= sql.length || /\s/.test(sql[i + 2]!)))) {
      const end = sql.indexOf('\n', i);
      out += ' ';
      i = end < 0 ? sql.length : end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const NAME = '(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)';
const QUALIFIED = new RegExp(`^\\(?\\s*${NAME}(?:\\s*\\.\\s*${NAME})?`);
const unquote = (name: string) => (name.startsWith('`') ? name.slice(1, -1).replace(/``/g, '`') : name);

/** The kinds of statement a plugin may send (its first words). */
const ALLOWED = [
  /^\(?\s*(SELECT|WITH)\b/i,
  /^(INSERT|REPLACE|UPDATE|DELETE)\b/i,
  /^CREATE\s+(OR\s+REPLACE\s+)?(TEMPORARY\s+)?TABLE\b/i,
  /^CREATE\s+(UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\b/i,
  /^CREATE\s+(OR\s+REPLACE\s+)?(ALGORITHM\s*=\s*\w+\s+)?(SQL\s+SECURITY\s+\w+\s+)?VIEW\b/i,
  /^ALTER\s+(ONLINE\s+|IGNORE\s+)?TABLE\b/i,
  /^DROP\s+(TEMPORARY\s+)?(TABLE|INDEX|VIEW)\b/i,
  /^(RENAME\s+TABLE|TRUNCATE)\b/i,
  /^(DESCRIBE|DESC|EXPLAIN)\b/i,
  /^SHOW\s+(FULL\s+)?(TABLES|COLUMNS|FIELDS|INDEX|INDEXES|KEYS|CREATE\s+TABLE|TABLE\s+STATUS|VARIABLES|WARNINGS)\b/i,
  /^(START\s+TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE\s+SAVEPOINT|SET\s+(SESSION\s+)?TRANSACTION)\b/i,
];
/** Clauses refused inside an allowed statement. */
const REFUSED_INSIDE = /\b(DEFINER\s*=|INTO\s+(OUTFILE|DUMPFILE)|LOCK\s+TABLES?|FOR\s+EACH\s+ROW|LOAD_FILE\s*\()/i;
/** Parts of the catalogue TypeORM's schema tools read; the rest (PROCESSLIST with other sessions' SQL, …) is refused. */
const CATALOGUE = new Set(['tables', 'columns', 'statistics', 'key_column_usage', 'table_constraints', 'referential_constraints', 'views']);

/** Words that follow a table-context keyword without being a table, skipped before the name. */
const FILLER = /^(IF|NOT|EXISTS|TEMPORARY|IGNORE|LOW_PRIORITY|DELAYED|HIGH_PRIORITY|QUICK|ONLINE|OFFLINE|INTO|TO|AS|TABLE|TABLES)$/i;
/** Words that end a list of tables, or are not tables at all. */
const NOT_A_TABLE = /^(SELECT|WITH|DUAL|VALUES|VALUE|SET|WHERE|ON|USING|LATERAL|JSON_TABLE|DUPLICATE|DELETE|UPDATE|CASCADE|RESTRICT|NULL|DEFAULT|KEY|COLUMN|INDEX|CONSTRAINT|PARTITION)$/i;
const CLAUSE = /^(WHERE|GROUP|ORDER|LIMIT|HAVING|WINDOW|UNION|EXCEPT|INTERSECT|FOR|LOCK|ON|USING|SET|VALUES|VALUE|SELECT|JOIN|LEFT|RIGHT|INNER|CROSS|NATURAL|STRAIGHT_JOIN|OUTER|INTO|RETURNING)$/i;

/** Skips a balanced parenthesised group at the start of `text` (after spaces); returns the rest. */
function skipGroup(text: string): string {
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== '(') return text;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(i + 1);
  }
  return '';
}

/** After a table in a list: its alias, PARTITION (…) and index hints, then `,` for the next table, if any. */
function nextInList(rest: string): string | undefined {
  for (let guard = 0; guard < 20; guard++) {
    const trimmed = rest.replace(/^\s+/, '');
    if (trimmed.startsWith(',')) return trimmed.slice(1);
    const partition = /^PARTITION\b/i.exec(trimmed);
    if (partition) {
      rest = skipGroup(trimmed.slice(partition[0].length));
      continue;
    }
    const hint = /^(USE|IGNORE|FORCE)\s+(INDEX|KEY)(\s+FOR\s+(JOIN|ORDER\s+BY|GROUP\s+BY))?/i.exec(trimmed);
    if (hint) {
      rest = skipGroup(trimmed.slice(hint[0].length));
      continue;
    }
    const alias = /^(AS\s+)?(`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_$]*)/i.exec(trimmed);
    if (alias && !CLAUSE.test(alias[2]!) && !/^(PARTITION|USE|IGNORE|FORCE)$/i.test(alias[2]!)) {
      rest = trimmed.slice(alias[0].length);
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** The table names a statement touches, as `[database|undefined, table]`. */
export function tablesOf(sql: string): [string | undefined, string][] {
  const text = codeOf(sql);
  const isDelete = /^\s*DELETE\b/i.test(text);
  const isShow = /^\s*SHOW\b/i.test(text);
  const contexts = new RegExp(`\\b(FROM|JOIN|STRAIGHT_JOIN|INTO|UPDATE|TABLE|TABLES|VIEW|LIKE|RENAME|EXISTS|ON|REFERENCES|TRUNCATE|REPLACE|INSERT|DESCRIBE|DESC|EXPLAIN${isDelete ? '|USING' : ''}${isShow ? '|IN' : ''})(?=[\\s\`(])`, 'gi');
  const found: [string | undefined, string][] = [];
  for (const match of text.matchAll(contexts)) {
    const keyword = match[1]!.toUpperCase();
    const before = text.slice(0, match.index);
    // `ON DUPLICATE KEY UPDATE col`, `FOR UPDATE`, `ORDER BY … DESC`, `CREATE OR REPLACE VIEW`: not tables here.
    if (keyword === 'UPDATE' && /\b(KEY|FOR)\s*$/i.test(before)) continue;
    if (keyword === 'DESC' && !/^\s*$/.test(before)) continue;
    if (keyword === 'REPLACE' && !/^\s*$/.test(before)) continue;
    if (keyword === 'INSERT' && !/^\s*$/.test(before)) continue;
    if (keyword === 'EXPLAIN' && /^\s*EXPLAIN\s+(SELECT|WITH|INSERT|UPDATE|DELETE|REPLACE)\b/i.test(text)) continue;
    if (keyword === 'RENAME' && /^\s*(COLUMN|INDEX|KEY)\b/i.test(text.slice(match.index! + match[0].length))) continue;
    let rest = text.slice(match.index! + match[0].length);
    for (let guard = 0; guard < 100; guard++) {
      rest = rest.replace(/^\s+/, '');
      const name = QUALIFIED.exec(rest);
      if (!name) break;
      const [, first, second] = name;
      if (!second && FILLER.test(first!)) {
        rest = rest.slice(name[0].length);
        continue;
      }
      if (!second && NOT_A_TABLE.test(first!)) break;
      if (keyword === 'ON' && !/^\s*\(/.test(rest.slice(name[0].length))) break; // `JOIN x ON a.b = c.d`: not `INDEX i ON t (…)`
      found.push(second ? [unquote(first!), unquote(second)] : [undefined, unquote(first!)]);
      rest = rest.slice(name[0].length).replace(/^\s*\)/, '');
      if (keyword === 'RENAME' || keyword === 'TABLE' || keyword === 'TRUNCATE') {
        // RENAME TABLE a TO b, c TO d; DROP TABLE a, b
        const more = /^\s*(TO\s+|,\s*)/i.exec(rest);
        if (!more) break;
        rest = rest.slice(more[0].length);
        continue;
      }
      const next = nextInList(rest);
      if (next === undefined) break;
      rest = next;
    }
  }
  const seen = new Set<string>();
  return found.filter(([database, table]) => {
    const key = `${database ?? ''}.${table}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Throws a StatementRefused naming the first table outside the plugin's scope, or the statement's kind. */
export function checkStatement(sql: string, scope: TableScope): void {
  const text = codeOf(sql).trim();
  if (!ALLOWED.some((kind) => kind.test(text))) {
    throw new StatementRefused(`plugin ${scope.plugin} may not run ${text.split(/\s+/).slice(0, 2).join(' ')} statements (only queries, data changes, its own tables, indexes and views, and transactions)`);
  }
  if (REFUSED_INSIDE.test(text)) throw new StatementRefused(`plugin ${scope.plugin} may not use ${REFUSED_INSIDE.exec(text)![0].trim()} in a statement`);
  if (/;\s*\S/.test(text)) throw new StatementRefused(`plugin ${scope.plugin} sends one statement at a time`);
  for (const [database, table] of tablesOf(sql)) {
    if (database !== undefined && database.toLowerCase() === 'information_schema') {
      if (/^\s*(SELECT|SHOW)\b/i.test(text) && CATALOGUE.has(table.toLowerCase())) continue; // TypeORM's schema tools
      throw new StatementRefused(`plugin ${scope.plugin} may read only information_schema's TABLES, COLUMNS, STATISTICS and constraints, not ${table}`);
    }
    if (database !== undefined && database !== scope.database) {
      throw new StatementRefused(`plugin ${scope.plugin} may not use tables of database ${database} (statement names ${database}.${table}); read parts through context.parts, or request capability "database"`);
    }
    const lower = table.toLowerCase();
    if (scope.excluded?.includes(lower)) throw new StatementRefused(`plugin ${scope.plugin} may not use the core table ${table}`);
    const other = scope.excludedPrefixes?.find((prefix) => lower.startsWith(prefix));
    if (other) throw new StatementRefused(`plugin ${scope.plugin} may not use ${table}: tables named ${other}… belong to another plugin`);
    if (scope.prefixes.some((prefix) => lower.startsWith(prefix))) continue;
    const own = scope.prefixes[0]!;
    throw new StatementRefused(
      `plugin ${scope.plugin} may only use tables named ${own}…, but a statement touches ${table}; rename it ${own}${table}, or request capability "tables:${lower.split('_')[0]}_" in plugin.json`,
    );
  }
}
