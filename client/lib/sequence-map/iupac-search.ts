import { IUPAC_BASES, reverseComplement } from './dna';

/** A match of a motif: 1-based inclusive, in forward coordinates; `end < start` when it runs across the origin of a circular sequence. */
export interface MotifHit {
  start: number;
  end: number;
  /** `both` for a palindromic motif matching the same bases on both strands. */
  strand: 'forward' | 'reverse' | 'both';
}

/** A motif's letters that are not IUPAC nucleotide codes, or null when it is a valid motif. */
export function motifProblem(motif: string): string | null {
  const clean = motif.toUpperCase().replace(/\s+/g, '');
  if (!clean) return 'Type a sequence to find.';
  const bad = [...new Set(clean.replace(/[ACGTURYSWKMBDHVN]/g, ''))];
  return bad.length ? `Not IUPAC nucleotide codes: ${bad.join(' ')}` : null;
}

/**
 * Does a base of the sequence fit a code of the motif? The sequence's base
 * must be one the code allows; an ambiguous base in the sequence (N) fits only
 * a code that allows all of its bases.
 */
function fits(code: string, base: string): boolean {
  const allowed = IUPAC_BASES[code]!;
  const bases = IUPAC_BASES[base];
  if (!bases) return false;
  for (const b of bases) if (!allowed.includes(b)) return false;
  return true;
}

/** Start indexes (0-based) of every match, overlapping ones included, in `text`, of starts below `limit`. */
function matchStarts(text: string, motif: string, limit: number): number[] {
  const starts: number[] = [];
  outer: for (let i = 0; i < limit && i + motif.length <= text.length; i++) {
    for (let j = 0; j < motif.length; j++) if (!fits(motif[j]!, text[i + j]!)) continue outer;
    starts.push(i);
  }
  return starts;
}

/**
 * Every occurrence of an IUPAC motif on both strands of a sequence, by start.
 * A reverse-strand hit is where the motif's reverse complement reads on the
 * forward strand. On a circular sequence, hits may run across the origin.
 */
export function findMotif(sequence: string, motif: string, circular = false): MotifHit[] {
  const seq = sequence.toUpperCase();
  const query = motif.toUpperCase().replace(/\s+/g, '').replace(/U/g, 'T');
  if (!query || motifProblem(query) || query.length > seq.length) return [];
  const L = seq.length;
  // A circular sequence is read once more up to the motif's length past its origin.
  const text = circular ? seq + seq.slice(0, query.length - 1) : seq;
  const hit = (i: number, strand: MotifHit['strand']): MotifHit => ({ start: i + 1, end: ((i + query.length - 1) % L) + 1, strand });
  const reverse = reverseComplement(query);
  const forwardStarts = matchStarts(text, query, L);
  const hits = forwardStarts.map((i) => hit(i, 'forward'));
  if (reverse !== query) hits.push(...matchStarts(text, reverse, L).map((i) => hit(i, 'reverse')));
  else hits.forEach((h) => (h.strand = 'both'));
  return hits.sort((a, b) => a.start - b.start || (a.strand < b.strand ? -1 : 1));
}
