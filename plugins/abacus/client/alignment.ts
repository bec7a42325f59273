/** One row of the aligned sequences: a slice of both sequences with what the page shows per position. */
export interface AlignmentRow {
  start: number;
  cells: { native: string; designed: string; same: boolean; ss: string; burial: number }[];
}

export const SS_NAMES: Record<string, string> = { H: 'helix', E: 'strand', C: 'coil', L: 'left-handed (positive phi)' };

/** The two sequences cut into rows of `width` positions. */
export function alignmentRows(native: string, designed: string, ss: string, burial: string, width = 50): AlignmentRow[] {
  const rows: AlignmentRow[] = [];
  for (let start = 0; start < native.length; start += width) {
    const cells = [];
    for (let i = start; i < Math.min(native.length, start + width); i++)
      cells.push({ native: native[i], designed: designed[i], same: native[i] === designed[i], ss: ss[i] ?? 'C', burial: Number(burial[i] ?? 0) });
    rows.push({ start, cells });
  }
  return rows;
}

/** Residue keys (chain, number, insertion code) in the order of a PDB file's ATOM records. */
export function residueKeys(pdb: string): string[] {
  const keys: string[] = [];
  for (const line of pdb.split('\n')) {
    if (!line.startsWith('ATOM')) continue;
    const key = line.slice(21, 27);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  return keys;
}

/**
 * The PDB text with the B-factor of every atom set to 1 in residues the design changed and
 * to 0 elsewhere, so the viewer's B-factor colouring shows the changes (warm: changed).
 * `keys` are the designed residues' keys in order (from the design's output file).
 */
export function markChanges(pdb: string, keys: string[], native: string, designed: string): string {
  const changed = new Set(keys.filter((_, i) => native[i] !== designed[i]));
  return pdb
    .split('\n')
    .filter((line) => !line.startsWith('ANISOU'))
    .map((line) => {
      if (!line.startsWith('ATOM') && !line.startsWith('HETATM')) return line;
      const padded = line.padEnd(80);
      return padded.slice(0, 60) + (changed.has(line.slice(21, 27)) ? '  1.00' : '  0.00') + padded.slice(66);
    })
    .join('\n');
}
