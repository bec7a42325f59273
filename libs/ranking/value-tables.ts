/** Biohub's value tables (README, "Parts"). A value missing from a table means the signal is absent. */
export const STATUS_VALUES: Record<string, number> = { Available: 1, Informational: 1, Planning: 0.5, Deleted: 0, Unavailable: 0 };
export const SAMPLE_STATUS_VALUES: Record<string, number> = {
  'In stock': 1, 'Not in stock': 0.7, '': 0.5, "It's complicated": 0.4, 'For reference only': 0.4, Discontinued: 0, 'No part sequence': 0,
};
export const WORKS_VALUES: Record<string, number> = { Works: 1, Issues: 0.5, Fails: 0.1, None: 0.1 };

/** Scores (how much each signal counts) of the classic formula. */
export const CLASSIC_SCORES = {
  favorite: 1, has_barcode: 1, status: 4, sample_status: 4, works: 1, uses: 5, compatibility: 2, review_total: 1, review_count: 1,
  rates: 2, mean_rate: 3, stars: 2, watches: 2,
} as const;

/** A string as an SQL literal. */
export const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** `CASE column WHEN … THEN …` of a value table; NULL (absent) for other values. */
export function caseOf(column: string, table: Record<string, number>): string {
  return `(CASE ${column} ${Object.entries(table).map(([k, v]) => `WHEN ${sqlString(k)} THEN ${v}`).join(' ')} ELSE NULL END)`;
}

/** True exactly when caseOf(column, table) is not NULL: the column holds one of the table's values. */
export function inTable(column: string, table: Record<string, number>): string {
  return `${column} IN (${Object.keys(table).map(sqlString).join(', ')})`;
}
