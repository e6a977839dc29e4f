// The computational graph as SVG, built node by node (text through textContent), each node
// coloured by its adjoint: red where ∂out/∂node > 0, blue where < 0, white at 0.
// The server gives the layout (derivcheck.render.graph_plot.graph_layout), the numbers and
// their text; this only draws them.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 168;
const HEIGHT = 62;
const GAP_X = 70;
const GAP_Y = 26;

function svg(tag, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function mix(from, to, amount) {
  return from.map((c, i) => Math.round(c + (to[i] - c) * amount));
}

function colour(adjoint, largest) {
  if (adjoint === null || adjoint === undefined || !largest) return "rgb(245,245,245)";
  const amount = Math.min(1, Math.abs(adjoint) / largest) * 0.75;
  const target = adjoint > 0 ? [211, 47, 47] : [25, 118, 210];
  return `rgb(${mix([255, 255, 255], target, amount).join(",")})`;
}

export function drawGraph(graph, titles = {}) {
  const columns = Math.max(...graph.nodes.map((n) => n.column)) + 1;
  const rows = Math.max(...graph.nodes.map((n) => n.row)) + 1;
  const width = columns * WIDTH + (columns - 1) * GAP_X + 20;
  const height = rows * HEIGHT + (rows - 1) * GAP_Y + 20;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "adjoint-graph" });
  if (titles.label) root.setAttribute("aria-label", titles.label);
  const place = new Map(graph.nodes.map((n) => [n.name, {
    x: 10 + n.column * (WIDTH + GAP_X), y: 10 + n.row * (HEIGHT + GAP_Y), node: n,
  }]));
  const largest = Math.max(0, ...graph.nodes.map((n) => (n.adjoint === null ? 0 : Math.abs(n.adjoint))));
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7,
    markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#555" }));
  defs.append(marker);
  root.append(defs);
  for (const edge of graph.edges) {
    const from = place.get(edge.from);
    const to = place.get(edge.to);
    if (!from || !to) continue;
    const x1 = from.x + WIDTH;
    const y1 = from.y + HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + HEIGHT / 2;
    const group = svg("g", { class: "edge", "data-from": edge.from, "data-to": edge.to });
    group.append(svg("path", { d: `M ${x1} ${y1} C ${x1 + GAP_X / 2} ${y1}, ${x2 - GAP_X / 2} ${y2}, ${x2} ${y2}`,
      fill: "none", stroke: "#555", "stroke-width": 1.2, "marker-end": "url(#arrow)" }));
    group.append(svg("title", {}, edge.label));
    group.append(svg("text", { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, "text-anchor": "middle",
      class: "edge-label" }, edge.label.split(" = ").pop()));
    root.append(group);
  }
  for (const { x, y, node } of place.values()) {
    const group = svg("g", { class: `node ${node.kind}`, "data-name": node.name,
      "data-adjoint": node.adjoint === null ? "" : node.adjoint });
    group.append(svg("rect", { x, y, width: WIDTH, height: HEIGHT, rx: 8, ry: 8,
      fill: colour(node.adjoint, largest), stroke: node.kind === "input" ? "#1565c0" : node.kind === "output" ? "#2e7d32" : "#e65100",
      "stroke-width": 1.5 }));
    const lines = [`${node.label} = ${node.value_text}`];
    if (node.adjoint_text) lines.push(node.adjoint_text);
    lines.forEach((line, i) => {
      group.append(svg("text", { x: x + WIDTH / 2, y: y + 24 + i * 20, "text-anchor": "middle",
        class: i === 0 ? "value" : "adjoint" }, line));
    });
    const tip = node.definition ? `${node.label} = ${node.definition}` : node.label;
    group.append(svg("title", {}, tip));
    root.append(group);
  }
  return root;
}
