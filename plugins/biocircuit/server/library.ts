import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Cello's measured gate library (data/SOURCE.md): 21 NOR gates of E. coli,
 * 4 input sensors and the parts' DNA. Read once from the plugin's data/.
 */

export interface Gate {
  name: string;
  regulator: string;
  /** Two gates of one group share a repressor: never both in one circuit. */
  group: string;
  ymax: number;
  ymin: number;
  K: number;
  n: number;
  /** The promoter the gate's repressor acts on: the gate's output. */
  promoter: string;
  /** The parts of the cassette expressing the repressor, 5'→3'. */
  cassette: string[];
}

export interface Sensor {
  name: string;
  promoter: string;
  low: number;
  high: number;
}

export interface Part {
  name: string;
  type: string;
  sequence: string;
}

export interface Library {
  gates: Gate[];
  sensors: Sensor[];
  parts: Map<string, Part>;
}

const DATA = path.join(__dirname, '..', 'data');

function readCsv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(path.join(DATA, file), 'utf8').trim().split(/\r?\n/);
  const keys = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [keys[i], value])));
}

let cached: Library | undefined;

export function library(): Library {
  if (cached) return cached;
  const gates = readCsv('cello-gates.csv').map((g) => ({
    name: g.gate_name,
    regulator: g.regulator,
    group: g.group,
    ymax: Number(g.ymax),
    ymin: Number(g.ymin),
    K: Number(g.K),
    n: Number(g.n),
    promoter: g.promoter,
    cassette: g.cassette_parts.split(' '),
  }));
  const sensors = readCsv('cello-inputs.csv').map((s) => ({ name: s.name, promoter: s.promoter, low: Number(s.signal_low), high: Number(s.signal_high) }));
  const parts = new Map<string, Part>();
  for (const p of readCsv('cello-parts.csv')) if (!parts.has(p.name)) parts.set(p.name, { name: p.name, type: p.type, sequence: p.sequence.toUpperCase() });
  cached = { gates, sensors, parts };
  return cached;
}

/** A gate's output (RPU) for its input x (the summed activity of the promoters feeding it): Cello's Hill repression. */
export const response = (gate: Gate, x: number) => gate.ymin + (gate.ymax - gate.ymin) / (1 + Math.pow(x / gate.K, gate.n));
