/**
 * A drawing of a `Value`'s computational graph as an SVG, for a chapter: one box per node, showing its
 * name or operation, its `data` and its `grad`, and an arrow from each input to each result. The forward
 * pass runs from the top of the drawing to the bottom, so the backward pass climbs it.
 *
 * The layout is plain: a node's row is one more than its lowest input's row, so that every arrow points
 * down, and a leaf sits in the row just above its first use (a parameter used late is drawn where it is
 * used, not at the top). Within a row, nodes are ordered by the mean position of their inputs, so that
 * arrows mostly run straight.
 */
import { checkPositiveInteger, rejectUnknownOptions } from "../core/checks";
import { displaySink, escapeHtml } from "../notebook/display";
import { graphOf, Value, type GraphNode } from "./value";

export interface GraphSvgOptions {
  /** Significant digits of data and grad in each box; 4 unless given. */
  digits?: number;
  /** A caption above the drawing. */
  title?: string;
}

const BOX = { width: 104, height: 44, gapX: 10, gapY: 16 };
const MARGIN = 10;
/** Narrower than this, the drawing scrolls sideways (in `showGraph`'s box) rather than shrink its text further. */
const MIN_WIDTH = 600;
const TITLE_HEIGHT = 24;
const COLOURS = { leaf: "#dbeafe", operation: "#ffffff", root: "#fde68a", edge: "#64748b" };

/** The rows and the horizontal order of the graph's nodes: `rows[r]` lists node ids left to right. */
export function graphLayout(
  nodes: readonly GraphNode[],
  edges: ReadonlyArray<{ from: number; to: number }>,
): number[][] {
  const inputs = nodes.map(() => [] as number[]);
  const users = nodes.map(() => [] as number[]);
  for (const { from, to } of edges) {
    inputs[to].push(from);
    users[from].push(to);
  }
  // Nodes come inputs first (graphOf's order), so one pass gives every operation its row.
  const row = nodes.map(() => 0);
  for (const { id } of nodes)
    if (inputs[id].length) row[id] = 1 + Math.max(...inputs[id].map((i) => row[i]));
  for (const { id } of nodes)
    if (!inputs[id].length && users[id].length)
      row[id] = Math.min(...users[id].map((u) => row[u])) - 1;
  const rows: number[][] = Array.from({ length: Math.max(...row) + 1 }, () => []);
  for (const { id } of nodes) rows[row[id]].push(id);
  // Order each row by where its nodes' neighbours stand: inputs for an operation, users for a leaf.
  const place = new Map<number, number>();
  const setPlaces = (r: number) =>
    rows[r].forEach((id, k) => place.set(id, k - (rows[r].length - 1) / 2));
  setPlaces(0);
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let r = sweep === 0 ? 1 : 0; r < rows.length; r++) {
      const key = (id: number) => {
        const near = (inputs[id].length ? inputs[id] : users[id]).filter((n) => place.has(n));
        return near.length
          ? near.reduce((s, n) => s + place.get(n)!, 0) / near.length
          : (place.get(id) ?? 0);
      };
      const keys = new Map(rows[r].map((id) => [id, key(id)]));
      rows[r].sort((a, b) => keys.get(a)! - keys.get(b)! || a - b);
      setPlaces(r);
    }
  }
  return rows;
}

/** The SVG markup of the graph that ends at `root`, with each node's data and grad. */
export function graphSvg(root: Value, options: GraphSvgOptions = {}): string {
  rejectUnknownOptions("graphSvg", options, ["digits", "title"]);
  const { digits = 4, title } = options;
  checkPositiveInteger("graphSvg", "digits", digits);
  const { nodes, edges } = graphOf(root); // checks root
  const rows = graphLayout(nodes, edges);
  const widest = Math.max(...rows.map((r) => r.length));
  const top = MARGIN + (title ? TITLE_HEIGHT : 0);
  const width = 2 * MARGIN + widest * BOX.width + (widest - 1) * BOX.gapX;
  const height = top + MARGIN + rows.length * BOX.height + (rows.length - 1) * BOX.gapY;
  const at = new Map<number, { x: number; y: number }>();
  rows.forEach((ids, r) => {
    const rowWidth = ids.length * BOX.width + (ids.length - 1) * BOX.gapX;
    ids.forEach((id, k) =>
      at.set(id, {
        x: (width - rowWidth) / 2 + k * (BOX.width + BOX.gapX),
        y: top + r * (BOX.height + BOX.gapY),
      }),
    );
  });
  const number = (v: number) => Number(v.toPrecision(digits)).toString();
  const arrows = edges.map(({ from, to }) => {
    const a = at.get(from)!;
    const b = at.get(to)!;
    const [x1, y1, x2, y2] = [a.x + BOX.width / 2, a.y + BOX.height, b.x + BOX.width / 2, b.y];
    return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2 - 1}" stroke="${COLOURS.edge}" stroke-width="1.2" marker-end="url(#gtd-arrow)"/>`;
  });
  const boxes = nodes.map((node) => {
    const { x, y } = at.get(node.id)!;
    const kind = node.id === nodes.length - 1 ? "root" : node.op ? "operation" : "leaf";
    const name = node.op
      ? node.label
        ? `${node.label} = ${node.op}`
        : node.op
      : node.label || "constant";
    const cx = x + BOX.width / 2;
    return (
      `<g><title>${escapeHtml(`${name}: data ${node.data}, grad ${node.grad}`)}</title>` +
      `<rect x="${x}" y="${y}" width="${BOX.width}" height="${BOX.height}" rx="6" fill="${COLOURS[kind]}" stroke="#334155"/>` +
      `<text x="${cx}" y="${y + 14}" text-anchor="middle" font-weight="bold">${escapeHtml(name)}</text>` +
      `<text x="${cx}" y="${y + 27}" text-anchor="middle">data ${number(node.data)}</text>` +
      `<text x="${cx}" y="${y + 40}" text-anchor="middle" fill="#b91c1c">grad ${number(node.grad)}</text></g>`
    );
  });
  const caption = title
    ? `<text x="${width / 2}" y="${MARGIN + 14}" text-anchor="middle" font-size="14" font-weight="bold">${escapeHtml(title)}</text>`
    : "";
  return (
    `<svg class="gtd-graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" style="max-width: 100%; min-width: ${Math.min(width, MIN_WIDTH)}px; height: auto" ` +
    `font-family="system-ui, sans-serif" font-size="12" fill="#0f172a" role="img" ` +
    `aria-label="${escapeHtml(title ?? "computational graph")}">` +
    `<defs><marker id="gtd-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M 0 0 L 10 5 L 0 10 z" fill="${COLOURS.edge}"/></marker></defs>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>${caption}${arrows.join("")}${boxes.join("")}</svg>`
  );
}

/**
 * Shows the graph that ends at `root` in the notebook (see `graphSvg`), in a box that scrolls sideways
 * on a screen too narrow for it (a phone) instead of shrinking its text out of reach.
 */
export function showGraph(root: Value, options: GraphSvgOptions = {}): void {
  const svg = graphSvg(root, options);
  displaySink().html(`<div class="gtd-graph-box" style="overflow-x: auto">${svg}</div>`);
}
