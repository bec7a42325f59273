import { IUPAC_BASES, reverseComplement } from './dna';

/** The six reading frames: +1…+3 read the forward strand from its 1st, 2nd, 3rd base; −1…−3 the reverse strand the same way. */
export type Frame = 1 | 2 | 3 | -1 | -2 | -3;
export const FRAMES: readonly Frame[] = [1, 2, 3, -1, -2, -3];

/** NCBI translation table 1 (the standard code), codons in TCAG order: TTT TTC TTA TTG TCT … GGG. */
const AMINO_ACIDS = 'FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG';
const ORDER = 'TCAG';

function codonAmino(codon: string): string {
  return AMINO_ACIDS[ORDER.indexOf(codon[0]!) * 16 + ORDER.indexOf(codon[1]!) * 4 + ORDER.indexOf(codon[2]!)]!;
}

/**
 * One codon's amino acid (one-letter; `*` for a stop). An ambiguous codon
 * translates when every codon it stands for gives the same amino acid (GCN is
 * A); otherwise, and for letters that are not bases, it is X.
 */
export function translateCodon(codon: string): string {
  const choices = [...codon.toUpperCase()].map((code) => IUPAC_BASES[code]);
  if (choices.length !== 3 || choices.some((c) => !c)) return 'X';
  const seen = new Set<string>();
  for (const a of choices[0]!) for (const b of choices[1]!) for (const c of choices[2]!) seen.add(codonAmino(a + b + c));
  return seen.size === 1 ? [...seen][0]! : 'X';
}

/** A translation, and the bases left over after the last whole codon (a partial codon is not translated). */
export interface Translation {
  protein: string;
  leftover: number;
}

/** Reads a DNA sequence 5'→3' from its first base, codon by codon. */
export function translate(dna: string): Translation {
  let protein = '';
  const whole = dna.length - (dna.length % 3);
  for (let i = 0; i < whole; i += 3) protein += translateCodon(dna.slice(i, i + 3));
  return { protein, leftover: dna.length % 3 };
}

/** The bases a frame reads: the forward strand, or the reverse complement, from the frame's offset. */
export function frameBases(dna: string, frame: Frame): string {
  const strand = frame > 0 ? dna : reverseComplement(dna);
  return strand.slice(Math.abs(frame) - 1);
}

/** The translation of one of the six frames. */
export function translateFrame(dna: string, frame: Frame): Translation {
  return translate(frameBases(dna, frame));
}

/** `+1`, `−2`: how a frame is written. */
export const frameLabel = (frame: Frame) => (frame > 0 ? `+${frame}` : `−${-frame}`);
