'use strict';
// The least-privilege MySQL/MariaDB account the platform needs: everything on
// its app database and on its snapshot database (it creates, alters, renames
// and drops tables in both: migrations, imports, rankings), nothing on any
// other database and no server-wide privilege (no FILE, PROCESS, SUPER, GRANT).
// It can only see and kill its own connections, which is all an import needs.
// Used by bin/setup.js when it installs MariaDB itself, and by the test that
// runs the platform as such an account.

/** `name` escaped for a GRANT's database pattern, where `_` and `%` are wildcards. */
const databasePattern = (name) => name.replace(/([_%\\])/g, '\\$1');
const quote = (text) => `'${String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** SQL statements creating `user`@`host` for each host with the grants on the two databases. */
function accountStatements({ user, password, hosts = ['localhost', '127.0.0.1', '::1'], appDatabase, snapshotDatabase }) {
  const statements = [];
  for (const host of hosts) {
    const account = `${quote(user)}@${quote(host)}`;
    statements.push(`CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${quote(password)}`);
    for (const database of [appDatabase, snapshotDatabase]) {
      statements.push(`GRANT ALL PRIVILEGES ON \`${databasePattern(database)}\`.* TO ${account}`);
    }
  }
  return statements;
}

module.exports = { accountStatements, databasePattern };
