import { BrickyardError } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import { describe, design, genbank, type Circuit } from './cello';
import { library } from './library';
import { parityDesign, parityScore, UnknownGateError, type ParityCircuit } from './parity';
import { expressionToTable, parseTable, TableError, type TruthTable } from './truth-table';
import type { Network } from './network';

/** A TableError (or a wrong gate) is the caller's mistake: 400 with the reason. */
function refuse<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof TableError || error instanceof UnknownGateError) throw new BrickyardError('invalid_params', error.message);
    throw error;
  }
}

/** Designs circuits and remembers the latest 200 tables' results (the GenBank export reads them back). */
@Injectable()
export class BiocircuitService {
  private cache = new Map<string, Circuit[]>();

  circuits(truth: string): { table: TruthTable; circuits: Circuit[]; ms: number } {
    const table = refuse(() => parseTable(truth));
    const key = table.cells.join('');
    const started = performance.now();
    let circuits = this.cache.get(key);
    if (!circuits) {
      circuits = design(table);
      this.cache.set(key, circuits);
      if (this.cache.size > 200) this.cache.delete(this.cache.keys().next().value!);
    }
    return { table, circuits, ms: performance.now() - started };
  }

  parity(truth: string): ParityCircuit[] {
    return parityDesign(refuse(() => parseTable(truth)));
  }

  genbank(truth: string, index: number): { name: string; text: string } {
    const { table, circuits } = this.circuits(truth);
    const circuit = circuits[index];
    if (!circuit) throw new BrickyardError('not_found', `table ${table.cells.join('')} has ${circuits.length} circuit${circuits.length === 1 ? '' : 's'}: ask for circuit 0 to ${circuits.length - 1}`);
    if (!circuit.dna.sequence) throw new BrickyardError('not_found', `circuit ${index} is input v${circuit.output}'s sensor itself: it has no DNA to export`);
    return { name: circuit.dna.name, text: genbank(circuit, table.cells.join('')) };
  }

  table(expression: string) {
    return refuse(() => expressionToTable(expression));
  }

  gates() {
    const lib = library();
    return {
      gates: lib.gates,
      sensors: lib.sensors,
      citation: 'Nielsen A.A.K. et al., "Genetic circuit design automation", Science 352, aad7041 (2016)',
    };
  }

  /** Biohub's score of gate ids, or the predicted behaviour of a circuit of Cello gates given with its arcs. */
  score(nodes: string[], arcs?: { from: number; to: number }[]) {
    if (!arcs) return { status: 'SUCCESS', score: refuse(() => parityScore(nodes)) };
    const lib = library();
    const n = nodes.findIndex((id) => id !== 'INPUT');
    if (n < 1 || n > lib.sensors.length || nodes.slice(n).includes('INPUT')) throw new BrickyardError('invalid_params', `list 1 to ${lib.sensors.length} INPUT nodes first, then the gates`);
    const gates = nodes.slice(n).map((id) => {
      const gate = lib.gates.find((g) => g.name === id);
      if (!gate) throw new BrickyardError('invalid_params', `"${id}" is not a gate of the library (GET gates lists them)`);
      return gate;
    });
    const groups = new Set(gates.map((g) => g.group));
    if (groups.size < gates.length) throw new BrickyardError('invalid_params', 'two gates of one repressor group cannot share a circuit');
    const inputsOf: number[][] = gates.map(() => []);
    for (const { from, to } of arcs) {
      if (!(to >= n && to < nodes.length && from >= 0 && from < to)) throw new BrickyardError('invalid_params', `arc ${from}→${to}: arcs go from a node to a later gate`);
      inputsOf[to - n].push(from);
    }
    if (inputsOf.some((inputs) => inputs.length < 1 || inputs.length > 2)) throw new BrickyardError('invalid_params', 'every gate takes one or two inputs');
    const net: Network = { n, gates: inputsOf, output: nodes.length - 1, method: 'given' };
    // The table is the circuit's own logic: ON/OFF of what it computes.
    const logic = describe(net, gates, Array(1 << n).fill('-'), lib).rows.map((r) => String(r.logic)) as ('0' | '1')[];
    const circuit = describe(net, gates, logic, lib);
    return { status: 'SUCCESS', score: circuit.score, onOff: circuit.onOff, table: logic.join(''), rows: circuit.rows };
  }
}
