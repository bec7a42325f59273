import { BrickyardError, InjectPluginContext, type PartLink, type PluginContext } from '@brickyard/sdk';
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

/**
 * Builds BioMap's two graphs from the live snapshot's specified subparts (which
 * the part page lists too), read through the platform's parts reader
 * (`context.parts`: no capability needed), one read per level of depth.
 * Nothing is stored: every import is seen at once.
 */
@Injectable()
export class BiomapService {
  constructor(@InjectPluginContext() private readonly context: PluginContext<typeof biomapSettings>) {}

  /** The parts `name` is built from, down to `depth` levels. */
  subparts(name: string, depth: number): Promise<Graph> {
    return this.walk(name, depth, 'down', (ids) => this.context.parts.subpartsOf(ids));
  }

  /** The parts that use `name`, up to `depth` levels; at most BIOMAP_USED_IN_CAP per part (by name), and one more to tell. */
  usedIn(name: string, depth: number): Promise<Graph> {
    const cap = this.context.settings.get('BIOMAP_USED_IN_CAP');
    return this.walk(name, depth, 'up', (ids) => this.context.parts.usersOf(ids, cap), cap);
  }

  /**
   * Breadth first from the root, so each part sits at its shortest distance.
   * `next` reads the neighbours of a level (`of` → the part found): its
   * subparts going down, its users going up. With `perNodeCap`, a part with
   * more neighbours than that keeps the first ones and marks the graph too large.
   */
  private async walk(
    name: string,
    depth: number,
    direction: 'down' | 'up',
    next: (ids: number[]) => Promise<PartLink[]>,
    perNodeCap = Infinity,
  ): Promise<Graph> {
    const root = await this.context.parts.find(name);
    if (!root) throw new BrickyardError('not_found', `no part ${name} in the snapshot`);
    const maxNodes = this.context.settings.get('BIOMAP_MAX_NODES');
    const nodes = new Map<number, GraphNode>([[root.partId, { id: root.name, group: depth, type: root.type, desc: root.shortDesc }]]);
    const edges = new Map<string, GraphEdge>();
    let tooLarge = false;
    let frontier = [root.partId];
    for (let level = 1; level <= depth && frontier.length; level++) {
      const links = await next(frontier);
      const perNode = new Map<number, number>();
      const found: number[] = [];
      for (const { of, part } of links) {
        const seen = (perNode.get(of) ?? 0) + 1;
        perNode.set(of, seen);
        if (seen > perNodeCap) {
          tooLarge = true;
          continue;
        }
        if (!nodes.has(part.partId)) {
          if (nodes.size >= maxNodes) {
            tooLarge = true;
            continue;
          }
          nodes.set(part.partId, { id: part.name, group: depth - level, type: part.type, desc: part.shortDesc });
          found.push(part.partId);
        }
        const from = nodes.get(of)!.id;
        // An edge always goes from the composite part to the part it is built with.
        const [source, target] = direction === 'down' ? [from, part.name] : [part.name, from];
        edges.set(`${source}\n${target}`, { source, target, value: 1 });
      }
      frontier = found;
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()], too_large: tooLarge };
  }
}
