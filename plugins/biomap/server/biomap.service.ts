import { BrickyardError, InjectPluginContext, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import type { biomapSettings } from './settings';

/** A part in a graph: `group` is the depth left below it (the root has the whole depth), as in Biohub. */
export interface GraphNode {
  id: string;
  group: number;
  type: string;
  desc: string;
}

/** "source is built with target": always from the composite part to its subpart, in both graphs. */
export interface GraphEdge {
  source: string;
  target: string;
  value: 1;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  too_large: boolean;
}

interface Row {
  from_id: number;
  part_id: number;
  part_name: string;
  part_type: string | null;
  short_desc: string | null;
}

/**
 * Builds BioMap's two graphs from the live snapshot's `subparts` table (the
 * specified subparts of each part, which the part page lists too), one query
 * per level of depth. Nothing is stored: every import is seen at once.
 */
@Injectable()
export class BiomapService {
  private snapshotDb?: Promise<string>;

  constructor(@InjectPluginContext() private readonly context: PluginContext<typeof biomapSettings>) {}

  /** The parts `name` is built from, down to `depth` levels. */
  subparts(name: string, depth: number): Promise<Graph> {
    return this.walk(name, depth, 'down', (ids, db) =>
      this.query(
        `SELECT s.parent_id AS from_id, c.part_id, c.part_name, c.part_type, c.short_desc
         FROM ${db}.subparts s JOIN ${db}.parts_filtered c ON c.part_id = s.child_id
         WHERE s.kind = 'specified' AND s.parent_id IN (?)
         GROUP BY s.parent_id, c.part_id ORDER BY s.parent_id, MIN(s.ordinal)`,
        [ids],
      ),
    );
  }

  /** The parts that use `name`, up to `depth` levels; at most BIOMAP_USED_IN_CAP per part (by name), and one more to tell. */
  usedIn(name: string, depth: number): Promise<Graph> {
    const cap = this.context.settings.get('BIOMAP_USED_IN_CAP');
    return this.walk(
      name,
      depth,
      'up',
      (ids, db) =>
        this.query(
          `SELECT from_id, part_id, part_name, part_type, short_desc FROM (
             SELECT u.child_id AS from_id, p.part_id, p.part_name, p.part_type, p.short_desc,
                    ROW_NUMBER() OVER (PARTITION BY u.child_id ORDER BY p.part_name) AS n
             FROM (SELECT DISTINCT child_id, parent_id FROM ${db}.subparts WHERE kind = 'specified' AND child_id IN (?)) u
             JOIN ${db}.parts_filtered p ON p.part_id = u.parent_id
           ) ranked WHERE n <= ? ORDER BY from_id, part_name`,
          [ids, cap + 1],
        ),
      cap,
    );
  }

  /**
   * Breadth first from the root, so each part sits at its shortest distance.
   * `next` reads the neighbours of a level (`from_id` → the part found): its
   * subparts going down, its users going up. With `perNodeCap`, a part with
   * more neighbours than that keeps the first ones and marks the graph too large.
   */
  private async walk(
    name: string,
    depth: number,
    direction: 'down' | 'up',
    next: (ids: number[], db: string) => Promise<Row[]>,
    perNodeCap = Infinity,
  ): Promise<Graph> {
    const root = await this.context.parts.find(name);
    if (!root) throw new BrickyardError('not_found', `no part ${name} in the snapshot`);
    const db = await this.database();
    const maxNodes = this.context.settings.get('BIOMAP_MAX_NODES');
    const nodes = new Map<number, GraphNode>([[root.partId, { id: root.name, group: depth, type: root.type, desc: root.shortDesc }]]);
    const edges = new Map<string, GraphEdge>();
    let tooLarge = false;
    let frontier = [root.partId];
    for (let level = 1; level <= depth && frontier.length; level++) {
      const rows = await next(frontier, db);
      const perNode = new Map<number, number>();
      const found: number[] = [];
      for (const row of rows) {
        const seen = (perNode.get(row.from_id) ?? 0) + 1;
        perNode.set(row.from_id, seen);
        if (seen > perNodeCap) {
          tooLarge = true;
          continue;
        }
        if (!nodes.has(row.part_id)) {
          if (nodes.size >= maxNodes) {
            tooLarge = true;
            continue;
          }
          nodes.set(row.part_id, { id: row.part_name, group: depth - level, type: row.part_type ?? '', desc: row.short_desc ?? '' });
          found.push(row.part_id);
        }
        const from = nodes.get(row.from_id)!.id;
        // An edge always goes from the composite part to the part it is built with.
        const [source, target] = direction === 'down' ? [from, row.part_name] : [row.part_name, from];
        edges.set(`${source}\n${target}`, { source, target, value: 1 });
      }
      frontier = found;
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()], too_large: tooLarge };
  }

  private query(sql: string, values: unknown[]): Promise<Row[]> {
    return this.context.database().query(sql, values);
  }

  /**
   * The snapshot database: SNAPSHOT_DATABASE, or the app database's name + `_igem`
   * (the platform's rule, docs: SNAPSHOT_DATABASE). Read once.
   */
  private database(): Promise<string> {
    this.snapshotDb ??= (async () => {
      const configured = this.context.platformSetting('SNAPSHOT_DATABASE');
      const name = typeof configured === 'string' && configured ? configured : `${(await this.context.database().query('SELECT DATABASE() AS db'))[0].db}_igem`;
      return `\`${name.replace(/`/g, '``')}\``;
    })();
    return this.snapshotDb;
  }
}
