import { gcPercent } from './dna';

/**
 * A selected range of bases, 1-based and inclusive. On a circular sequence a
 * selection may run across the origin: then `end < start` (bases start…length
 * and 1…end).
 */
export interface Selection {
  start: number;
  end: number;
}

/** The selection made by dragging from base `anchor` to base `current`: on a line, whichever way; on a circle, clockwise from the anchor when `clockwise`. */
export function selectionBetween(anchor: number, current: number, circular = false, clockwise = current >= anchor): Selection {
  if (!circular) return { start: Math.min(anchor, current), end: Math.max(anchor, current) };
  return clockwise ? { start: anchor, end: current } : { start: current, end: anchor };
}

export const wraps = (selection: Selection) => selection.end < selection.start;

export function selectionLength(selection: Selection, length: number): number {
  return wraps(selection) ? length - selection.start + 1 + selection.end : selection.end - selection.start + 1;
}

/** The selected bases, read 5'→3' from the selection's start (across the origin when it wraps). */
export function selectedBases(sequence: string, selection: Selection): string {
  if (wraps(selection)) return sequence.slice(selection.start - 1) + sequence.slice(0, selection.end);
  return sequence.slice(selection.start - 1, selection.end);
}

/** Whether base `position` lies in the selection. */
export function contains(selection: Selection, position: number): boolean {
  return wraps(selection) ? position >= selection.start || position <= selection.end : position >= selection.start && position <= selection.end;
}

/** What the map tells about a selection. */
export function describeSelection(sequence: string, selection: Selection) {
  const bases = selectedBases(sequence, selection);
  return { start: selection.start, end: selection.end, length: bases.length, gc: gcPercent(bases), bases };
}

/**
 * A selection typed into the start and end fields, or null when it is not one:
 * whole numbers within 1…length, and start ≤ end unless the sequence is circular.
 */
export function parseSelection(start: number, end: number, length: number, circular: boolean): Selection | null {
  const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= length;
  if (!ok(start) || !ok(end) || (!circular && end < start)) return null;
  return { start, end };
}

/** FASTA of the selection, 60 bases a line; the header names the part and the range, as `>BBa_B0015:12-55`. */
export function selectionFasta(name: string, sequence: string, selection: Selection): string {
  const bases = selectedBases(sequence, selection).toUpperCase();
  const lines = bases.match(/.{1,60}/g) ?? [];
  return `>${name}:${selection.start}-${selection.end} ${bases.length} bp\n${lines.join('\n')}\n`;
}
