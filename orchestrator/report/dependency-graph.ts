import ELK, { type ElkNode } from "elkjs/lib/elk.bundled.js";
import type { EnvironmentView } from "./model";
import { colourOf, escapeXml } from "./svg";

const NODE_WIDTH = 170;
const NODE_HEIGHT = 44;

interface Point {
  readonly x: number;
  readonly y: number;
}

/** Node positions and edge routes; layout only, so rendering stays a pure function of it. */
export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: ReadonlyMap<string, Point>;
  readonly edges: readonly { readonly from: string; readonly to: string; readonly points: readonly Point[] }[];
}

/** Layered (Sugiyama) layout by elkjs, dependencies left of their dependents. */
export async function layoutGraph(view: EnvironmentView): Promise<GraphLayout> {
  const graph: ElkNode = {
    id: "root",
    layoutOptions: { "elk.algorithm": "layered", "elk.direction": "RIGHT", "elk.spacing.nodeNode": "18", "elk.layered.spacing.nodeNodeBetweenLayers": "60" },
    children: view.stacks.map((s) => ({ id: s.stack, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: view.edges.map(([from, to], i) => ({ id: `e${i}`, sources: [from], targets: [to] })),
  };
  const laid = await new ELK().layout(graph);
  const nodes = new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
  const edges = (laid.edges ?? []).map((edge, i) => {
    const section = edge.sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    return { from: view.edges[i]![0], to: view.edges[i]![1], points };
  });
  return { width: Math.ceil(laid.width ?? 0), height: Math.ceil(laid.height ?? 0), nodes, edges };
}

/** The environment's stacks as boxes coloured by their last result, with a drift marker. Pure. */
export function renderGraph(view: EnvironmentView, layout: GraphLayout): string {
  const marker = `arrow-${view.env.replace(/[^a-z0-9-]/gi, "_")}`;
  const edges = layout.edges.map(
    (e) => `<polyline class="edge" points="${e.points.map((p) => `${p.x},${p.y}`).join(" ")}" fill="none" stroke="#8c959f" stroke-width="1.5" marker-end="url(#${marker})"/>`,
  );
  const nodes = view.stacks.map((s) => {
    const at = layout.nodes.get(s.stack)!;
    const drifted = s.drift === "drift" || s.drift === "pending";
    return [
      `<g class="node" data-stack="${escapeXml(s.stack)}" data-state="${s.state}" transform="translate(${at.x},${at.y})">`,
      `<title>${escapeXml(`${s.stack}: ${s.state}${s.operation ? ` (${s.operation})` : ""}; drift ${s.drift}`)}</title>`,
      `<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6" fill="${colourOf(s.state)}"${drifted ? ` stroke="${colourOf("drift")}" stroke-width="4" stroke-dasharray="6 3"` : ' stroke="#57606a" stroke-width="1"'}/>`,
      `<text x="${NODE_WIDTH / 2}" y="19" text-anchor="middle" class="name">${escapeXml(s.stack)}</text>`,
      `<text x="${NODE_WIDTH / 2}" y="35" text-anchor="middle" class="state">${escapeXml(s.state)}${drifted ? " · drift" : ""}</text>`,
      `</g>`,
    ].join("");
  });
  const width = layout.width + 4;
  const height = layout.height + 4;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="dependency graph of ${escapeXml(view.env)}">`,
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#8c959f"/></marker></defs>`,
    `<style>.name{font:bold 12px sans-serif;fill:#fff}.state{font:11px sans-serif;fill:#fff}</style>`,
    ...edges,
    ...nodes,
    `</svg>`,
  ].join("\n");
}
