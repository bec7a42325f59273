/**
 * The structure viewer's choices, named for people and mapped to NGL's own
 * names in one place, so the component's controls, its props and the NGL
 * calls cannot disagree.
 */
export type Representation = 'cartoon' | 'surface' | 'ball-and-stick';
export type Colouring = 'chain' | 'residue' | 'bfactor';

export const REPRESENTATIONS: readonly { id: Representation; label: string; ngl: string }[] = [
  { id: 'cartoon', label: 'Cartoon', ngl: 'cartoon' },
  { id: 'surface', label: 'Surface', ngl: 'surface' },
  { id: 'ball-and-stick', label: 'Ball and stick', ngl: 'ball+stick' },
];

export const COLOURINGS: readonly { id: Colouring; label: string; ngl: string; explained: string }[] = [
  { id: 'chain', label: 'Chain', ngl: 'chainname', explained: 'Each chain has its own colour.' },
  { id: 'residue', label: 'Residue', ngl: 'resname', explained: 'Coloured by residue type (amino acid or nucleotide).' },
  { id: 'bfactor', label: 'B-factor', ngl: 'bfactor', explained: 'B-factor: well-ordered atoms cool, mobile or uncertain ones warm.' },
];

export const isRepresentation = (value: unknown): value is Representation => REPRESENTATIONS.some((r) => r.id === value);
export const isColouring = (value: unknown): value is Colouring => COLOURINGS.some((c) => c.id === value);

export interface NglRepresentation {
  type: string;
  params: Record<string, unknown>;
}

/**
 * The NGL representations that draw a structure as asked. Cartoon and surface
 * show only the polymer; ligands (not water or ions) are added as ball and
 * stick so a chromophore or cofactor stays visible.
 */
export function nglRepresentations(representation: Representation, colouring: Colouring): NglRepresentation[] {
  const colorScheme = COLOURINGS.find((c) => c.id === colouring)!.ngl;
  const type = REPRESENTATIONS.find((r) => r.id === representation)!.ngl;
  if (representation === 'ball-and-stick') return [{ type, params: { colorScheme, sele: 'not water' } }];
  return [{ type, params: { colorScheme, sele: 'polymer' } }, { type: 'ball+stick', params: { colorScheme, sele: 'ligand', multipleBond: 'symmetric' } }];
}
