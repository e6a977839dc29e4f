// Explain: type a function, see how it is read as you type, and its derivation: at a point,
// or without one the symbolic derivation; of any order (f″, f⁽ⁿ⁾, the Hessian).

import {
  api, applyWords, clear, copyButton, debounce, el, errorBox, labelled, latest, marked, math,
  mermaidInto, onLanguage, parts, remember, sections, state, t,
} from "../core.js";

function create() {
  const expr = el("textarea", {
    id: "explain-expr", rows: 2, autocomplete: "off", autocapitalize: "off", spellcheck: "false",
    "data-word-placeholder": "web.explain.expr_hint",
  });
  const at = el("input", { id: "explain-at", type: "text", autocomplete: "off", spellcheck: "false", inputmode: "text" });
  const wrt = el("input", { id: "explain-wrt", type: "text", autocomplete: "off", spellcheck: "false" });
  const lr = el("input", { id: "explain-lr", type: "text", autocomplete: "off", spellcheck: "false", inputmode: "decimal" });
  const order = el("input", { id: "explain-order", type: "number", min: 1, max: 20, step: 1, value: 1, inputmode: "numeric" });
  const go = el("button", { type: "submit", id: "explain-go", class: "primary", dataset: { word: "web.explain.go" } });
  const preview = el("div", { id: "explain-preview", class: "preview", "aria-live": "polite" });
  const status = el("p", { class: "status", "aria-live": "polite" });
  const result = el("div", { id: "explain-result", class: "result", "aria-live": "polite" });

  const form = el("form", { class: "inputs", novalidate: true },
    labelled("explain-expr", "web.explain.expr", expr, "web.explain.expr_hint"),
    el("div", { class: "preview-box" },
      el("span", { class: "preview-label", dataset: { word: "web.explain.preview" } }), preview),
    el("div", { class: "line" },
      labelled("explain-at", "web.explain.at", at, "web.explain.at_hint"),
      labelled("explain-wrt", "web.explain.wrt", wrt, "web.explain.wrt_hint"),
      labelled("explain-order", "web.explain.order", order, "web.explain.order_hint"),
      labelled("explain-lr", "web.explain.lr", lr, "web.explain.lr_hint"),
    ),
    el("div", { class: "actions" }, go, status),
  );
  const element = el("section", { class: "panel explain" }, form, result);

  let shown = null; // the request whose result is on the page

  // ---- the live preview ----
  const parse = latest((text) => api("/api/parse", { expr: text, lang: state.lang }));
  const refreshPreview = debounce(async () => {
    const text = expr.value;
    if (!text.trim()) {
      clear(preview, el("span", { class: "muted" }, t("web.explain.preview_empty")));
      return;
    }
    const answer = await parse(text);
    if (answer === null || text !== expr.value) return;
    if (!answer.ok) {
      const body = answer.data.error || {};
      clear(preview, el("div", { class: "preview-error" }, marked(text, body.position), errorBox(answer.data)));
      expr.setAttribute("aria-invalid", "true");
      return;
    }
    expr.removeAttribute("aria-invalid");
    clear(preview, answer.data.latex.map((line) => el("div", { class: "preview-line" }, math(line, false))));
  }, 150);
  expr.addEventListener("input", refreshPreview);
  expr.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // ---- explaining ----
  const explain = latest((request) => api("/api/explain", request));

  function request() {
    const value = (input) => (input.value.trim() === "" ? null : input.value.trim());
    const n = Number.parseInt(order.value, 10);
    const req = { expr: expr.value, at: value(at), wrt: value(wrt), lr: value(lr), lang: state.lang };
    if (Number.isFinite(n) && n !== 1) req.order = n;
    return req;
  }

  async function run(req) {
    go.disabled = true;
    status.textContent = t("web.working");
    const answer = await explain(req);
    go.disabled = false;
    status.textContent = "";
    if (answer === null) return;
    shown = req;
    remember();
    if (!answer.ok) {
      const body = answer.data.error || {};
      const field = { expr, at, wrt, lr, order }[body.field] || expr;
      const source = body.text !== undefined ? body.text : field.value;
      clear(result, el("div", { class: "failed", dataset: { field: body.field || "" } },
        body.position !== undefined && body.position !== null ? el("p", { class: "where" }, marked(source, body.position)) : null,
        errorBox(answer.data)));
      field.setAttribute("aria-invalid", "true");
      return;
    }
    for (const input of [expr, at, wrt, lr, order]) input.removeAttribute("aria-invalid");
    draw(answer.data, req);
  }

  function draw(data, req) {
    const e = data.explanation;
    const headline = el("div", { class: "headline" }, el("h2", {}, parts(data.title)));
    if (data.single && data.value === null) { // no point: the derivative itself
      headline.append(el("p", { class: "value" },
        el("span", { dataset: { word: "web.explain.result" } }), " ",
        el("output", { id: "explain-derivative" }, math(`${data.symbols[e.wrt[0]]} = ${data.derivative}`))));
    } else if (data.single) {
      headline.append(el("p", { class: "value" },
        el("span", { dataset: { word: "web.explain.result" } }), " ",
        math(`${data.symbols[e.wrt[0]]} =`), " ",
        el("output", { id: "explain-value" }, data.value)));
    } else {
      const list = el("ul", { class: "gradient", id: "explain-gradient" });
      for (const [name, value] of Object.entries(data.gradient)) {
        list.append(el("li", { dataset: { name } }, math(`${data.symbols[name]} =`), " ",
          el("output", {}, value)));
      }
      headline.append(el("p", { dataset: { word: "web.explain.gradient" } }), list);
    }
    const verdict = !e.differentiable ? "not_differentiable"
      : e.agrees === null ? "unchecked" : e.agrees ? "agrees" : "disagrees";
    headline.append(el("p", { class: `badge ${verdict}`, dataset: { word: `web.explain.${verdict}` } }));

    const steps = el("div", { class: "steps" },
      el("h3", { dataset: { word: "web.explain.derivation" } }), sections(data.sections, 4));
    if (data.update) steps.append(...sections(data.update.sections, 4));

    const figures = [];
    if (data.mermaid) {
      const graph = el("div", { class: "graph", id: "explain-graph" });
      mermaidInto(graph, data.mermaid).catch(() => clear(graph, el("pre", {}, data.mermaid)));
      figures.push(el("figure", { class: "graph-figure" },
        el("h3", { dataset: { word: "web.explain.graph" } }), graph,
        el("figcaption", { dataset: { word: "web.explain.graph_caption" } })));
    }

    if (data.single && req.at !== null) {
      const params = new URLSearchParams({ expr: req.expr, lang: req.lang });
      if (req.at !== null) params.set("at", req.at);
      const image = el("img", { src: `/api/plot.png?${params}`, id: "explain-plot", loading: "lazy",
        width: 770, height: 770, "data-word-title": "web.explain.plot_alt" });
      image.alt = t("web.explain.plot_alt");
      const figure = el("figure", { class: "plot-figure" }, el("h3", { dataset: { word: "web.explain.plot" } }), image);
      image.addEventListener("error", () => { figure.hidden = true; });
      figures.push(figure);
    }

    const rules = el("div", { class: "rules", id: "explain-rules" });
    const extras = [];
    if (data.single && !data.program) {
      const button = el("button", { type: "button", id: "explain-show-rules", dataset: { word: "web.explain.show_rules" } });
      button.addEventListener("click", async () => {
        button.disabled = true;
        const answer = await api("/api/derive", { expr: req.expr, var: e.wrt[0], lang: req.lang });
        clear(rules, el("h3", { dataset: { word: "web.explain.rules" } }),
          answer.ok ? sections(answer.data.sections, 4) : errorBox(answer.data));
        applyWords(rules);
        button.hidden = true;
      });
      extras.push(button, rules);
    }

    const json = JSON.stringify(e, null, 2);
    const sources = el("details", { class: "sources" },
      el("summary", { dataset: { word: "web.explain.sources" } }),
      ...[["LaTeX", data.latex], ["Mermaid", data.mermaid], ["JSON", json]].filter(([, source]) => source).map(([name, source]) =>
        el("div", { class: "source" }, el("h4", {}, name, " ", copyButton(() => source)), el("pre", {}, source))),
    );
    const link = el("a", { href: window.location.href, id: "explain-link", dataset: { word: "web.explain.share" } });

    clear(result, headline, steps, el("div", { class: "figures" }, figures), ...extras, sources, el("p", {}, link));
    applyWords(result);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(request());
  });

  onLanguage(() => {
    refreshPreview();
    if (shown) run({ ...shown, lang: state.lang });
  });

  return {
    element,
    show(params) {
      if (params.has("expr")) {
        expr.value = params.get("expr");
        at.value = params.get("at") || "";
        wrt.value = params.get("wrt") || "";
        lr.value = params.get("lr") || "";
        order.value = params.get("order") || "1";
        refreshPreview();
        run(request());
      } else if (!expr.value) {
        refreshPreview();
      }
    },
    params() {
      if (!shown) return {};
      return { expr: shown.expr, at: shown.at, wrt: shown.wrt, lr: shown.lr, order: shown.order };
    },
  };
}

export default { id: "explain", word: "web.tab.explain", create };
