import { api, ApiError } from '@brickyard/client';

/** BioMap's answer: Biohub's shape, plus each part's type and short description. */
export interface BiomapGraph {
  nodes: { id: string; group: number; type: string; desc: string }[];
  edges: { source: string; target: string; value: number }[];
  too_large: boolean;
}

/** A node as drawn: `layer` 0 is the part asked about, negative rows hold the parts using it, positive rows its subparts. */
export interface DrawnNode {
  id: string;
  type: string;
  desc: string;
  layer: number;
}

export interface Drawing {
  root: string;
  nodes: DrawnNode[];
  edges: { source: string; target: string }[];
}

export const subparts = (part: string, depth?: number) => api.get<BiomapGraph>(`/api/plugins/biomap/${encodeURIComponent(part)}/analyze`, depth ? { depth } : undefined);
export const usedIn = (part: string, depth?: number) => api.get<BiomapGraph>(`/api/plugins/biomap/${encodeURIComponent(part)}/analyze_reverse`, depth ? { depth } : undefined);

/** One drawing of a part's subparts (rows below it) and of the parts using it (rows above), either may be absent. */
export function drawing(root: string, down?: BiomapGraph, up?: BiomapGraph): Drawing {
  const nodes = new Map<string, DrawnNode>();
  const rootGroup = (g: BiomapGraph) => g.nodes[0]?.group ?? 0;
  for (const [graph, sign] of [[down, 1], [up, -1]] as const) {
    for (const node of graph?.nodes ?? []) {
      if (!nodes.has(node.id)) nodes.set(node.id, { id: node.id, type: node.type, desc: node.desc, layer: sign * (rootGroup(graph!) - node.group) });
    }
  }
  const edges = [...(down?.edges ?? []), ...(up?.edges ?? [])];
  return { root, nodes: [...nodes.values()], edges };
}

/** A sentence a person can act on, from an error of the API. */
export function problemText(error: unknown, part: string): string {
  if (error instanceof ApiError && error.status === 404) return `There is no part ${part} in the snapshot. Check the name (for example BBa_B0015).`;
  return error instanceof Error ? error.message : String(error);
}
