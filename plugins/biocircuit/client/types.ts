/** What the server answers (server/cello.ts, server/parity.ts), as the page reads it. */
export interface Arc {
  from: number;
  to: number;
}

export interface Row {
  row: number;
  inputs: string;
  expected: '0' | '1' | '-';
  logic: number;
  level: number;
}

export interface Circuit {
  nodes: string[];
  arcs: Arc[];
  output: number;
  score: number;
  /** Cello mode only. */
  onOff?: number | null;
  sensors?: string[];
  rows?: Row[];
  method?: string;
  dna?: { name: string; sequence: string; features: { feature_type: string; start_pos: number; end_pos: number; label: string; reverse: boolean }[] };
}

/** The gate names of Cello's library read `P3_PhlF`: the repressor is after the underscore. */
export const regulatorOf = (name: string) => name.split('_')[1] ?? name;
