/**
 * Reads a text before NGL does, so that a file that is not a PDB entry (an
 * HTML error page behind a URL, an mmCIF file, a FASTA file, a binary) gets a
 * sentence saying so instead of a blank canvas, and so that the page can say
 * what it shows (title, chains, residues, atoms) without asking NGL.
 *
 * Legacy PDB format is fixed-column (wwPDB format 3.3): the record name in
 * columns 1–6, an atom's chain in column 22, residue number in 23–26,
 * insertion code in 27 and x, y, z in 31–54.
 */

/** Larger files would stall the page for seconds in NGL's parser; no single protein comes near it. */
export const MAX_PDB_BYTES = 30 * 1024 * 1024;

export interface PdbSummary {
  /** The four-character PDB id from HEADER, upper case, when there is one. */
  id?: string;
  /** TITLE (continuations joined), else HEADER's classification. */
  title?: string;
  /** Chain ids in file order; ' ' is a chain without an id. */
  chains: string[];
  /** Residues that have at least one ATOM record (HETATM waters and ligands left out). */
  residues: number;
  /** ATOM and HETATM records. */
  atoms: number;
}

export type PdbCheck = { ok: true; summary: PdbSummary } | { ok: false; reason: string };

const fail = (reason: string): PdbCheck => ({ ok: false, reason });

/** Record names a legacy PDB file may begin with (title section, REMARK, coordinates). */
const FIRST_RECORDS = /^(HEADER|OBSLTE|TITLE |SPLIT |CAVEAT|COMPND|SOURCE|KEYWDS|EXPDTA|NUMMDL|MDLTYP|AUTHOR|REVDAT|SPRSDE|JRNL  |REMARK|DBREF |SEQRES|HET   |HELIX |SHEET |SSBOND|CRYST1|ORIGX|SCALE|MODEL |ATOM  |HETATM)/;

/** Whether x, y and z (columns 31–54) are numbers: a line cut short or shifted by a tab is not an atom. */
function hasCoordinates(line: string): boolean {
  const coordinate = (from: number) => {
    const field = line.slice(from, from + 8).trim();
    return field !== '' && Number.isFinite(Number(field));
  };
  return coordinate(30) && coordinate(38) && coordinate(46);
}

/** Checks that `text` is a legacy-format PDB entry with coordinates and summarises it. */
export function checkPdbText(text: string): PdbCheck {
  if (text.length > MAX_PDB_BYTES) return fail(`The file is ${(text.length / 1024 / 1024).toFixed(0)} MB; the viewer reads files up to ${MAX_PDB_BYTES / 1024 / 1024} MB.`);
  const start = text.trimStart();
  if (start === '') return fail('The file is empty.');
  if (text.includes('\0')) return fail('This is a binary file, not a PDB text file.');
  if (/^<(!doctype|html|\?xml)/i.test(start)) return fail('This is a web page (HTML), not a PDB file: check the address.');
  if (/^data_/.test(start)) return fail('This is an mmCIF file; the viewer reads PDB format (.pdb). Download the PDB-format file of the entry.');
  if (start.startsWith('>')) return fail('This is a FASTA sequence, not a structure: a PDB file has atom coordinates.');
  if (!FIRST_RECORDS.test(start)) return fail('This does not look like a PDB file: it should begin with records such as HEADER, REMARK or ATOM.');

  let id: string | undefined;
  let classification: string | undefined;
  const title: string[] = [];
  const chains: string[] = [];
  const residues = new Set<string>();
  let atoms = 0;
  for (const line of text.split(/\r?\n/)) {
    const record = line.slice(0, 6);
    if (record === 'ATOM  ' || record === 'HETATM') {
      if (!hasCoordinates(line)) continue;
      atoms++;
      const chain = line[21] ?? ' ';
      if (!chains.includes(chain)) chains.push(chain);
      if (record === 'ATOM  ') residues.add(line.slice(21, 27));
    } else if (record === 'HEADER') {
      classification = line.slice(10, 50).trim() || undefined;
      id = line.slice(62, 66).trim().toUpperCase() || undefined;
    } else if (record === 'TITLE ') {
      title.push(line.slice(10, 80).trim());
    } else if (record === 'ENDMDL') {
      break; // an NMR ensemble: the first model is what is counted
    }
  }
  if (atoms === 0) return fail('The file has no atoms with coordinates (ATOM or HETATM records).');
  return { ok: true, summary: { id, title: title.join(' ').replace(/\s+/g, ' ') || classification, chains, residues: residues.size, atoms } };
}
