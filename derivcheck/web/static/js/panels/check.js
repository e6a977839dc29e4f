// Check my answer: a function and my derivative → verdict, mistake, hint; the correct
// derivation on request.

import {
  api, applyWords, clear, el, errorBox, labelled, latest, marked, math, onLanguage, remember,
  sections, state, t,
} from "../core.js";

function create() {
  const input = (id, extra = {}) => el("input", { id, type: "text", autocomplete: "off", spellcheck: "false",
    autocapitalize: "off", ...extra });
  const fn = input("check-function");
  const answer = input("check-answer");
  const variable = input("check-var", { size: 6 });
  const at = input("check-at", { size: 8 });
  const order = el("input", { id: "check-order", type: "number", min: 1, max: 10, step: 1, value: 1, inputmode: "numeric" });
  const go = el("button", { type: "submit", id: "check-go", class: "primary", dataset: { word: "web.check.go" } });
  const status = el("p", { class: "status", "aria-live": "polite" });
  const result = el("div", { id: "check-result", class: "result", "aria-live": "polite" });
  const form = el("form", { class: "inputs", novalidate: true },
    el("div", { class: "line" },
      labelled("check-function", "web.check.function", fn),
      labelled("check-answer", "web.check.answer", answer, "web.check.answer_hint"),
    ),
    el("div", { class: "line" },
      labelled("check-var", "web.check.var", variable),
      labelled("check-at", "web.check.at", at, "web.check.at_hint"),
      labelled("check-order", "web.check.order", order),
    ),
    el("div", { class: "actions" }, go, status),
  );
  const element = el("section", { class: "panel check" }, form, result);
  let shown = null;
  let revealed = false;

  const check = latest((request) => api("/api/check", request));

  function request() {
    const value = (field) => (field.value.trim() === "" ? null : field.value.trim());
    const req = { function: fn.value, answer: answer.value, var: value(variable), at: value(at), lang: state.lang };
    const n = Number.parseInt(order.value, 10);
    if (Number.isFinite(n) && n !== 1) req.order = n;
    return req;
  }

  async function run(req) {
    go.disabled = true;
    status.textContent = t("web.working");
    const reply = await check(req);
    go.disabled = false;
    status.textContent = "";
    if (reply === null) return;
    shown = req;
    remember();
    if (!reply.ok) {
      clear(result, errorBox(reply.data));
      return;
    }
    draw(reply.data, req);
  }

  function draw(r, req) {
    const verdict = el("p", { class: `verdict ${r.verdict}`, id: "check-verdict", dataset: { verdict: r.verdict } },
      el("span", { class: "label", dataset: { word: "web.check.verdict" } }), " ",
      el("strong", { dataset: { word: `web.verdict.${r.verdict}` } }));
    const rows = [verdict];
    if (r.diagnosis) {
      rows.push(el("p", { class: "mistake", id: "check-mistake", dataset: { diagnosis: r.diagnosis } },
        el("span", { class: "label", dataset: { word: "web.check.mistake" } }), " ",
        el("strong", { dataset: { word: `grading.diagnosis.${r.diagnosis}` } }),
        el("code", { class: "code" }, ` (${r.diagnosis})`)));
    }
    rows.push(el("p", { class: "hint", id: "check-hint" },
      el("span", { class: "label", dataset: { word: "web.check.hint" } }), " ", r.message));
    if (r.parse_error && r.answer) {
      rows.push(el("p", { class: "where" }, marked(r.answer, r.parse_error.position)));
    }
    const solution = el("div", { class: "solution", id: "check-solution" });
    if (r.expected_latex) {
      const toggle = el("button", { type: "button", id: "check-reveal", "aria-expanded": "false",
        "aria-controls": "check-solution", dataset: { word: "web.check.reveal" } });
      toggle.addEventListener("click", () => reveal(!revealed, r, req, toggle, solution));
      rows.push(toggle, solution);
      if (revealed) reveal(true, r, req, toggle, solution);
    }
    clear(result, rows);
    applyWords(result);
  }

  async function reveal(open, r, req, toggle, solution) {
    revealed = open;
    toggle.dataset.word = open ? "web.check.hide" : "web.check.reveal";
    toggle.textContent = t(toggle.dataset.word);
    toggle.setAttribute("aria-expanded", String(open));
    if (!open) {
      clear(solution);
      return;
    }
    const expected = [el("h3", { dataset: { word: "web.check.expected" } }), math(r.expected_latex, true)];
    if (r.expected_value_latex) expected.push(math(`${r.at ? "" : ""}= ${r.expected_value_latex}`, true));
    clear(solution, expected);
    applyWords(solution);
    const derivation = (r.order || 1) > 1 // each order from the previous one, as explain gives them
      ? await api("/api/explain", { expr: req.function, wrt: r.var, order: r.order, lang: req.lang })
      : await api("/api/derive", { expr: req.function, var: r.var, lang: req.lang });
    if (!revealed) return;
    solution.append(...(derivation.ok ? sections(derivation.data.sections, 4) : [errorBox(derivation.data)]));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(request());
  });
  onLanguage(() => {
    if (shown) run({ ...shown, lang: state.lang });
  });

  return {
    element,
    show(params) {
      if (params.has("function")) {
        fn.value = params.get("function");
        answer.value = params.get("answer") || "";
        variable.value = params.get("var") || "";
        at.value = params.get("at") || "";
        order.value = params.get("order") || "1";
        run(request());
      }
    },
    params() {
      if (!shown) return {};
      return { function: shown.function, answer: shown.answer, var: shown.var, at: shown.at, order: shown.order };
    },
  };
}

export default { id: "check", word: "web.tab.check", create };
