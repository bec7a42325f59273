export function accountStatements(options: { user: string; password: string; hosts?: string[]; appDatabase: string; snapshotDatabase: string }): string[];
export function databasePattern(name: string): string;
