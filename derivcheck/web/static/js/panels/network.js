// The chapter's network: sliders for x, target, w1, b1, w2, b2 and lr; every change is
// explained again by the server (derivcheck.explain of the chapter's program, exact
// numbers): the forward pass, every backward line, the gradient, the update.

import {
  api, applyWords, clear, el, errorBox, latest, math, onLanguage, sections, state, t,
} from "../core.js";
import { drawGraph } from "../graph.js";

// How far each slider goes (the chapter's values sit inside every range).
const SLIDERS = [
  ["x", -3, 3, 0.1],
  ["target", -3, 3, 0.1],
  ["w1", -2, 2, 0.05],
  ["b1", -2, 2, 0.05],
  ["w2", -2, 2, 0.05],
  ["b2", -2, 2, 0.05],
  ["lr", 0, 1, 0.01],
];

function create() {
  const sliders = new Map();
  const outputs = new Map();
  const box = el("div", { class: "sliders" });
  for (const [name, low, high, step] of SLIDERS) {
    const input = el("input", { type: "range", id: `net-${name}`, min: low, max: high, step, name });
    const output = el("output", { for: `net-${name}`, id: `net-${name}-value` });
    input.addEventListener("input", () => {
      output.textContent = input.value;
      refresh();
    });
    sliders.set(name, input);
    outputs.set(name, output);
    box.append(el("div", { class: "slider" }, el("label", { for: `net-${name}` }, name), input, output));
  }
  const reset = el("button", { type: "button", id: "net-reset", dataset: { word: "web.network.reset" } });
  const gradient = el("ul", { class: "gradient", id: "net-gradient", "aria-live": "polite" });
  const graph = el("div", { class: "graph", id: "net-graph" });
  const passes = el("div", { class: "steps", id: "net-passes" });
  const problem = el("div", { class: "problem", "aria-live": "polite" });
  const element = el("section", { class: "panel network" },
    el("p", { class: "intro", dataset: { word: "web.network.intro" } }),
    el("div", { class: "network-top" },
      el("fieldset", { class: "values" },
        el("legend", { dataset: { word: "web.network.values" } }), box, reset),
      el("div", { class: "network-gradient" },
        el("h3", { dataset: { word: "web.explain.gradient" } }), gradient, problem)),
    el("figure", { class: "graph-figure" },
      el("h3", { dataset: { word: "web.network.graph" } }), graph,
      el("figcaption", { dataset: { word: "web.network.legend" } })),
    el("h3", { dataset: { word: "web.network.passes" } }), passes,
  );

  let chapter = null;
  const explain = latest((request) => api("/api/explain", request));

  function values() {
    const point = {};
    for (const [name] of SLIDERS) if (name !== "lr") point[name] = sliders.get(name).value;
    return point;
  }

  async function run() {
    if (!chapter) return;
    const reply = await explain({
      expr: chapter.program, at: values(), wrt: chapter.wrt, lr: sliders.get("lr").value, lang: state.lang,
    });
    if (reply === null) return;
    if (!reply.ok) {
      clear(problem, errorBox(reply.data));
      return;
    }
    clear(problem);
    const data = reply.data;
    const e = data.explanation;
    clear(gradient, Object.entries(data.gradient).map(([name, value]) =>
      el("li", { dataset: { name } }, math(`${data.symbols[name]} =`), " ",
        el("output", { id: `net-grad-${name}` }, value))));
    if (!e.differentiable && e.reason) problem.append(el("p", { class: "note" }, e.reason));
    clear(graph, drawGraph(data.graph, { label: t("web.network.graph") }));
    clear(passes, sections(data.sections, 4), data.update ? sections(data.update.sections, 4) : []);
    element.dataset.w2 = sliders.get("w2").value;
    element.dataset.ready = "true";
  }

  let timer = null;
  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(run, 40);
  }

  function setChapter() {
    for (const [name] of SLIDERS) {
      const value = name === "lr" ? chapter.lr : chapter.point[name];
      sliders.get(name).value = value;
      outputs.get(name).textContent = sliders.get(name).value;
    }
  }

  reset.addEventListener("click", () => {
    setChapter();
    refresh();
  });
  onLanguage(() => refresh());

  return {
    element,
    async show() {
      if (chapter) return;
      const reply = await api("/api/network");
      if (!reply.ok) {
        clear(problem, errorBox(reply.data));
        return;
      }
      chapter = reply.data;
      setChapter();
      applyWords(element);
      run();
    },
    params() {
      return {};
    },
  };
}

export default { id: "network", word: "web.tab.network", create };
