// Teacher: upload a class's answers, watch them graded one by one, filter the table,
// download the report as derivcheck check writes it (CSV or JSON).

import { applyWords, clear, el, errorBox, onLanguage, state, t } from "../core.js";

const VERDICTS = ["correct", "incorrect", "unparseable", "error"];
const COLUMNS = ["id", "student", "function", "answer", "verdict", "diagnosis", "message"];

function create() {
  const file = el("input", { type: "file", id: "teacher-file",
    accept: ".csv,.tsv,.txt,.json,.jsonl,.ndjson,.yaml,.yml" });
  const go = el("button", { type: "submit", id: "teacher-go", class: "primary", dataset: { word: "web.teacher.go" } });
  const progress = el("p", { class: "status", id: "teacher-progress", "aria-live": "polite" });
  const summary = el("p", { class: "summary", id: "teacher-summary", "aria-live": "polite" });
  const verdict = el("select", { id: "teacher-verdict" });
  const mistake = el("select", { id: "teacher-mistake" });
  const search = el("input", { type: "search", id: "teacher-search", autocomplete: "off" });
  const shown = el("p", { class: "shown", id: "teacher-shown" });
  const csv = el("button", { type: "button", id: "teacher-csv", dataset: { word: "web.teacher.download_csv" }, disabled: true });
  const json = el("button", { type: "button", id: "teacher-json", dataset: { word: "web.teacher.download_json" }, disabled: true });
  const head = el("tr");
  const body = el("tbody");
  const table = el("table", { class: "report", id: "teacher-table" }, el("thead", {}, head), body);
  const problem = el("div", { class: "problem", "aria-live": "assertive" });

  const form = el("form", { class: "inputs", novalidate: true },
    el("p", { class: "intro", dataset: { word: "web.teacher.intro" } }),
    el("div", { class: "line" },
      el("div", { class: "field" }, el("label", { for: "teacher-file", dataset: { word: "web.teacher.file" } }), file)),
    el("div", { class: "actions" }, go, progress),
  );
  const filters = el("fieldset", { class: "filters" },
    el("legend", { dataset: { word: "web.teacher.filters" } }),
    el("div", { class: "field" }, el("label", { for: "teacher-verdict", dataset: { word: "web.teacher.filter_verdict" } }), verdict),
    el("div", { class: "field" }, el("label", { for: "teacher-mistake", dataset: { word: "web.teacher.filter_mistake" } }), mistake),
    el("div", { class: "field" }, el("label", { for: "teacher-search", dataset: { word: "web.teacher.filter_text" } }), search),
    el("div", { class: "actions" }, csv, json),
  );
  const element = el("section", { class: "panel teacher" }, form, problem, summary, filters, shown,
    el("div", { class: "table-box" }, table));

  let results = [];
  let total = 0;
  let uploaded = null;
  let counts = null;

  function options(select, values, word) {
    const chosen = select.value;
    clear(select, el("option", { value: "" }, t("web.teacher.all")),
      values.map((v) => el("option", { value: v }, word(v))));
    select.value = values.includes(chosen) ? chosen : "";
  }

  function relabel() {
    clear(head, COLUMNS.map((c) => el("th", { scope: "col" }, t(`web.col.${c}`))));
    options(verdict, VERDICTS, (v) => t(`web.verdict.${v}`));
    const mistakes = [...new Set(results.map((r) => r.diagnosis).filter(Boolean))].sort();
    options(mistake, mistakes, (d) => t(`grading.diagnosis.${d}`));
    if (counts) summary.textContent = t("web.teacher.summary", counts);
    if (total && results.length < total) progress.textContent = t("web.teacher.progress", { done: results.length, total });
    draw();
  }

  function visible(r) {
    const text = search.value.trim().toLowerCase();
    return (!verdict.value || r.verdict === verdict.value)
      && (!mistake.value || r.diagnosis === mistake.value)
      && (!text || `${r.id || ""} ${r.student || ""}`.toLowerCase().includes(text));
  }

  function row(r) {
    const cells = COLUMNS.map((c) => {
      if (c === "verdict") return el("td", { class: `verdict ${r.verdict}` }, t(`web.verdict.${r.verdict}`));
      if (c === "diagnosis") return el("td", {}, r.diagnosis ? t(`grading.diagnosis.${r.diagnosis}`) : "");
      if (c === "function") { // with what the row asks for when it is not f′: f″, ∂f/∂y
        return el("td", {}, el("code", {}, r.function || ""), r.asked ? el("span", { class: "asked" }, ` ${r.asked}`) : null);
      }
      if (c === "answer") return el("td", {}, el("code", {}, r[c] || ""));
      return el("td", {}, r[c] === null || r[c] === undefined ? "" : String(r[c]));
    });
    return el("tr", { dataset: { verdict: r.verdict, diagnosis: r.diagnosis || "" } }, cells);
  }

  function draw() {
    const rows = results.filter(visible);
    clear(body, rows.map(row));
    shown.textContent = results.length ? t("web.teacher.shown", { shown: rows.length, total: results.length }) : "";
  }

  async function grade(format) {
    const params = new URLSearchParams({ format, lang: state.lang, name: uploaded.name });
    return fetch(`/api/grade?${params}`, { method: "POST", body: uploaded,
      headers: { "Content-Type": "application/octet-stream" } });
  }

  async function run() {
    if (!file.files.length) return;
    uploaded = file.files[0];
    results = [];
    total = 0;
    counts = null;
    clear(problem);
    summary.textContent = "";
    csv.disabled = json.disabled = true;
    go.disabled = true;
    progress.textContent = t("web.working");
    const response = await grade("ndjson");
    if (!response.ok) {
      go.disabled = false;
      progress.textContent = "";
      let data = null;
      try { data = await response.json(); } catch (error) { data = { error: { message: String(response.status) } }; }
      clear(problem, errorBox(data));
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    let last = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (value) pending += decoder.decode(value, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const line of lines) if (line.trim()) take(JSON.parse(line));
      if (Date.now() - last > 200 || done) {
        last = Date.now();
        relabel();
      }
      if (done) break;
    }
    go.disabled = false;
    relabel();
  }

  function take(message) {
    if (message.type === "start") {
      total = message.answers;
    } else if (message.type === "result") {
      results.push(message.result);
    } else if (message.type === "summary") {
      const s = message.summary;
      counts = { answers: s.answers, correct: s.correct, incorrect: s.incorrect, unparseable: s.unparseable, error: s.error };
      progress.textContent = "";
      csv.disabled = json.disabled = false;
    } else if (message.type === "error") {
      clear(problem, errorBox(message));
    }
  }

  async function download(format) {
    const response = await grade(format);
    if (!response.ok) {
      clear(problem, errorBox(await response.json()));
      return;
    }
    const blob = await response.blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: `report.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  for (const control of [verdict, mistake]) control.addEventListener("change", draw);
  search.addEventListener("input", draw);
  csv.addEventListener("click", () => download("csv"));
  json.addEventListener("click", () => download("json"));
  onLanguage(() => relabel());
  relabel();

  return {
    element,
    show() {
      applyWords(element);
    },
    params() {
      return {};
    },
  };
}

export default { id: "teacher", word: "web.tab.teacher", create };
