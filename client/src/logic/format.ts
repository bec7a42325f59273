/** How numbers, dates and lengths read on the pages: one place, so the same thing always reads the same way. */

const integer = new Intl.NumberFormat('en');

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : integer.format(n);
}

/** `799` → `799 bp`, `12400` → `12.4 kb`. */
export function formatLength(bases: number | null | undefined): string {
  if (bases === null || bases === undefined || !Number.isFinite(bases)) return '—';
  if (bases < 10_000) return `${integer.format(bases)} bp`;
  return `${(bases / 1000).toFixed(1)} kb`;
}

/** A weight (0–1) on a 0–100 scale, as the badges show it: 0.5387 → `53.9`. */
export function formatWeight(weight: number | null | undefined): string {
  if (weight === null || weight === undefined || !Number.isFinite(weight)) return '—';
  return (Math.round(weight * 1000) / 10).toFixed(1);
}

/** A date of the snapshot (ISO text) as `29 Sep 2004`; the Registry's dates carry no useful time. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** `1` result, `2` results. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A sequence in blocks of ten, sixty bases a line, each line numbered: how biologists read one. */
export function sequenceLines(sequence: string, perLine = 60, block = 10): { start: number; blocks: string[] }[] {
  const lines: { start: number; blocks: string[] }[] = [];
  for (let i = 0; i < sequence.length; i += perLine) {
    const line = sequence.slice(i, i + perLine);
    const blocks: string[] = [];
    for (let j = 0; j < line.length; j += block) blocks.push(line.slice(j, j + block));
    lines.push({ start: i + 1, blocks });
  }
  return lines;
}

/** GC content of a DNA sequence, in percent with one decimal; null for an empty one. */
export function gcPercent(sequence: string): number | null {
  const bases = sequence.replace(/[^acgtACGT]/g, '');
  if (!bases.length) return null;
  const gc = bases.replace(/[atAT]/g, '').length;
  return Math.round((gc / bases.length) * 1000) / 10;
}
