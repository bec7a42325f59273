/**
 * DNA with IUPAC ambiguity codes (NC-IUB 1984): complements, reverse
 * complements and GC content. Sequences are read case-insensitively and
 * returned upper-case, as the map shows them.
 */

/** Each IUPAC nucleotide code and the bases it stands for. */
export const IUPAC_BASES: Readonly<Record<string, string>> = {
  A: 'A', C: 'C', G: 'G', T: 'T', U: 'T',
  R: 'AG', Y: 'CT', S: 'CG', W: 'AT', K: 'GT', M: 'AC',
  B: 'CGT', D: 'AGT', H: 'ACT', V: 'ACG', N: 'ACGT',
};

/** The complement of each code: the code of the complementary bases (R = A|G pairs with Y = C|T). */
const COMPLEMENT: Readonly<Record<string, string>> = {
  A: 'T', C: 'G', G: 'C', T: 'A', U: 'A',
  R: 'Y', Y: 'R', S: 'S', W: 'W', K: 'M', M: 'K',
  B: 'V', V: 'B', D: 'H', H: 'D', N: 'N',
};

/** Upper-case, without spaces, digits or line breaks (a pasted GenBank block reads as its bases). */
export function cleanSequence(text: string): string {
  return text.toUpperCase().replace(/[^A-Z*-]/g, '');
}

/** The other strand, read 5'→3'. An unknown letter becomes N: it still occupies its place. */
export function reverseComplement(sequence: string): string {
  let out = '';
  for (let i = sequence.length - 1; i >= 0; i--) out += COMPLEMENT[sequence[i]!.toUpperCase()] ?? 'N';
  return out;
}

/**
 * GC content in percent (one decimal) of the bases whose pairing is known:
 * G, C and S count as GC, A, T, U and W as AT; other codes (N, R …) are left
 * out. Null when no base is known.
 */
export function gcPercent(sequence: string): number | null {
  let gc = 0;
  let known = 0;
  for (const base of sequence.toUpperCase()) {
    if (base === 'G' || base === 'C' || base === 'S') gc++;
    else if (base !== 'A' && base !== 'T' && base !== 'U' && base !== 'W') continue;
    known++;
  }
  return known ? Math.round((gc / known) * 1000) / 10 : null;
}
