export { importSnapshot, ensureSnapshotSchema, ImportError, type ImportOptions, type ImportResult } from './snapshot/snapshot-importer';
export { snapshotDatabaseName } from './snapshot/snapshot-database';
export { scanCompatibility, ASSEMBLY_STANDARDS, reverseComplement, type Compatibility } from './snapshot/assembly-standards';
export { openDump, dumpFormatOf } from './dump/open-dump';
export { readSqlDump } from './dump/sql-dump-reader';
export { readXmlDump } from './dump/xml-dump-reader';
export { DumpWriter } from './dump/dump-writer';
export { buildDemoDump, demoDumpPath } from './dump/demo-dump';
export { writeSyntheticDump, writeSyntheticDumpFile, type SyntheticOptions } from './dump/synthetic-dump';
