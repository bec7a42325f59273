import * as fs from 'node:fs';

/** Objects in a V8 heap snapshot, grouped by constructor (objects, closures) or by kind (strings, code, …). */
export type HeapCensus = Map<string, { count: number; size: number }>;

/** `stringGroups`: strings matching a pattern are counted under its label instead of `(string)`. */
export function heapCensus(file: string, stringGroups: [label: string, pattern: RegExp][] = []): HeapCensus {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const census: HeapCensus = new Map();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]!]!;
    const name = strings[nodes[i + nameAt]!]!;
    const group = type === 'string' || type === 'concatenated string' ? stringGroups.find(([, re]) => re.test(name)) : undefined;
    const key = group
      ? `(string) ${group[0]}`
      : type === 'object' || type === 'closure'
        ? `${type === 'closure' ? 'closure ' : ''}${name.length > 60 ? name.slice(0, 60) + '…' : name}`
        : `(${type})${type === 'hidden' || type === 'native' || type === 'synthetic' ? ' ' + name.slice(0, 40) : ''}`;
    const entry = census.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += nodes[i + sizeAt]!;
    census.set(key, entry);
  }
  return census;
}

/** What grew most between two censuses, by retained count. */
export function censusGrowth(before: HeapCensus, after: HeapCensus, top = 20) {
  const rows: { key: string; count: number; size: number; countBefore: number }[] = [];
  for (const [key, a] of after) {
    const b = before.get(key) ?? { count: 0, size: 0 };
    rows.push({ key, count: a.count - b.count, size: a.size - b.size, countBefore: b.count });
  }
  return {
    byCount: [...rows].sort((x, y) => y.count - x.count).slice(0, top),
    bySize: [...rows].sort((x, y) => y.size - x.size).slice(0, top),
  };
}
