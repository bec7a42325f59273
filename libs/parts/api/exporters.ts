/** FASTA and GenBank renderings of a part, with its features. */

export interface ExportablePart {
  part_name: string;
  short_desc: string;
  part_type: string;
  sequence: string;
  creation_date?: string | Date | null;
  features: { feature_type: string; start_pos: number; end_pos: number; label: string; reverse: number }[];
}

export function toFasta(part: ExportablePart): string {
  const lines = part.sequence.match(/.{1,80}/g) ?? [];
  return `>${part.part_name} ${part.short_desc.replace(/\s+/g, ' ').trim()}\n${lines.join('\n')}\n`;
}

/** Registry feature types → GenBank feature keys (INSDC). Others become misc_feature with the type kept in a note. */
const GENBANK_KEYS: Record<string, string> = {
  cds: 'CDS', promoter: 'promoter', rbs: 'RBS', terminator: 'terminator', stem_loop: 'stem_loop', primer_binding: 'primer_bind',
  polya: 'polyA_signal', protein: 'CDS', binding: 'protein_bind', operator: 'protein_bind', mutation: 'variation', s_mutation: 'variation',
  conserved: 'misc_feature', dna: 'misc_feature', misc: 'misc_feature', tag: 'misc_feature', barcode: 'misc_feature',
  start: 'misc_feature', stop: 'misc_feature', BioBrick: 'misc_feature',
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function genbankDate(value: string | Date | null | undefined): string {
  const date = value ? new Date(value) : new Date(0);
  const valid = Number.isNaN(date.getTime()) ? new Date(0) : date;
  return `${String(valid.getUTCDate()).padStart(2, '0')}-${MONTHS[valid.getUTCMonth()]}-${valid.getUTCFullYear()}`;
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

const qualifier = (name: string, value: string) => `                     /${name}="${value.replace(/"/g, "'")}"`;

/**
 * GenBank flat file. Positions are the Registry's 1-based inclusive ones. The
 * dump's `reverse` flag does not mean the reverse strand (see the dump notes), so
 * every feature is written on the forward strand and the flag kept as a note.
 */
export function toGenbank(part: ExportablePart): string {
  const sequence = part.sequence.toLowerCase();
  const locusName = part.part_name.slice(0, 16).padEnd(16);
  const out: string[] = [];
  out.push(`LOCUS       ${locusName} ${String(sequence.length).padStart(11)} bp    DNA     linear   SYN ${genbankDate(part.creation_date)}`);
  out.push(`DEFINITION  ${wrap(part.short_desc || part.part_name, 67, '            ')}`);
  out.push(`ACCESSION   ${part.part_name}`);
  out.push(`VERSION     ${part.part_name}`);
  out.push(`KEYWORDS    ${part.part_type || '.'}`);
  out.push('SOURCE      synthetic DNA construct');
  out.push('  ORGANISM  synthetic DNA construct');
  out.push('FEATURES             Location/Qualifiers');
  out.push(`     source          1..${sequence.length}`);
  out.push(qualifier('organism', 'synthetic DNA construct'));
  out.push(qualifier('mol_type', 'other DNA'));
  for (const feature of part.features) {
    if (feature.start_pos < 1 || feature.end_pos < feature.start_pos || feature.end_pos > sequence.length) continue;
    const key = GENBANK_KEYS[feature.feature_type] ?? 'misc_feature';
    out.push(`     ${key.padEnd(16)}${feature.start_pos}..${feature.end_pos}`);
    out.push(qualifier('label', feature.label || feature.feature_type));
    if (key === 'misc_feature' || GENBANK_KEYS[feature.feature_type] === undefined) out.push(qualifier('note', `Registry feature type: ${feature.feature_type}`));
    if (feature.reverse) out.push(qualifier('note', 'Registry reverse flag set'));
  }
  out.push('ORIGIN');
  for (let i = 0; i < sequence.length; i += 60) {
    const chunk = sequence.slice(i, i + 60).match(/.{1,10}/g)!.join(' ');
    out.push(`${String(i + 1).padStart(9)} ${chunk}`);
  }
  out.push('//');
  return out.join('\n') + '\n';
}
