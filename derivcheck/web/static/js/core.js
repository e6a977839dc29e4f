// What every panel uses: the words, the API, building the page, typesetting.
//
// Safety rule of the page: text that comes from a user or from the server goes into the
// page as text (textContent, attribute values), never as markup. Mathematics is typeset
// by KaTeX (which builds DOM nodes and refuses \href and friends: trust is off); the
// graph's SVG comes from Mermaid (securityLevel "strict") and is parsed as SVG, not HTML.

export const state = {
  lang: "en",
  words: { en: {}, zh: {} },
  listeners: [],
};

// ---- words ----------------------------------------------------------------------

export function t(key, params = {}) {
  const table = state.words[state.lang] || {};
  let template = table[key];
  if (template === undefined) template = (state.words.en || {})[key];
  if (template === undefined) return key;
  return template.replace(/\{(\w+)\}/g, (all, name) =>
    name in params ? String(params[name]) : all,
  );
}

export async function loadWords() {
  const response = await fetch("/api/words");
  const data = await response.json();
  state.words = data.words;
  return data.languages;
}

// Fill every [data-word] (text), [data-word-placeholder], [data-word-label] (aria-label)
// and [data-word-title] below root with the words of the current language.
export function applyWords(root = document) {
  for (const node of root.querySelectorAll("[data-word]")) node.textContent = t(node.dataset.word);
  for (const node of root.querySelectorAll("[data-word-placeholder]")) {
    node.setAttribute("placeholder", t(node.dataset.wordPlaceholder));
  }
  for (const node of root.querySelectorAll("[data-word-label]")) {
    node.setAttribute("aria-label", t(node.dataset.wordLabel));
  }
  for (const node of root.querySelectorAll("[data-word-title]")) {
    node.setAttribute("title", t(node.dataset.wordTitle));
  }
}

export function onLanguage(listener) {
  state.listeners.push(listener);
}

export function setLanguage(lang) {
  state.lang = lang;
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t("web.title");
  applyWords();
  for (const listener of state.listeners) listener(lang);
}

// ---- building the page ----------------------------------------------------------

// el("p", {class: "x", dataset: {word: "web.title"}}, "text", child, ...): children are
// nodes or strings; strings become text nodes. Attributes are set as attributes.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "on") for (const [event, f] of Object.entries(value)) node.addEventListener(event, f);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

// A labelled input: {id, word, hint, type, value, attributes}; returns {field, input}.
export function labelled(id, word, control, hint) {
  const label = el("label", { for: id, dataset: { word } });
  const parts = [label, control];
  if (hint) {
    const help = el("small", { id: `${id}-hint`, class: "hint", dataset: { word: hint } });
    control.setAttribute("aria-describedby", help.id);
    parts.push(help);
  }
  return el("div", { class: "field" }, parts);
}

export function debounce(f, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}

// ---- the API --------------------------------------------------------------------

// POST a JSON body (or GET without one); {ok, status, data}. A 429 is retried after its
// Retry-After, three times at most.
export async function api(path, body = null, tries = 3) {
  const options = body === null ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  for (let attempt = 0; ; attempt += 1) {
    let response;
    try {
      response = await fetch(path, options);
    } catch (error) {
      return { ok: false, status: 0, data: { error: { message: String(error) } } };
    }
    if (response.status === 429 && attempt < tries) {
      const seconds = Number(response.headers.get("Retry-After")) || 1;
      await new Promise((done) => setTimeout(done, seconds * 1000));
      continue;
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = { error: { message: `${response.status} ${response.statusText}` } };
    }
    return { ok: response.ok, status: response.status, data };
  }
}

// The newest call wins: results of calls overtaken by later ones are dropped.
export function latest(f) {
  let counter = 0;
  return async (...args) => {
    counter += 1;
    const mine = counter;
    const result = await f(...args);
    return mine === counter ? result : null;
  };
}

// ---- mathematics ----------------------------------------------------------------

function katexReady() {
  if (window.katex) return Promise.resolve(window.katex);
  return new Promise((done) => window.addEventListener("load", () => done(window.katex), { once: true }));
}

const KATEX_OPTIONS = {
  throwOnError: false, trust: false, strict: "ignore", maxSize: 20, maxExpand: 500,
  output: "htmlAndMathml",
};

// A node holding `tex` typeset (inline; display: a block). Until KaTeX has loaded, the
// source shows as text.
export function math(tex, display = false) {
  const node = el(display ? "div" : "span", { class: display ? "math display" : "math" });
  node.textContent = tex;
  katexReady().then((katex) => {
    if (katex) katex.render(tex, node, { ...KATEX_OPTIONS, displayMode: display });
  });
  return node;
}

// Text with mathematics ([{text}, {math}, ...]) as nodes.
export function parts(list) {
  return (list || []).map((part) => ("math" in part ? math(part.math) : document.createTextNode(part.text)));
}

// The derivation's sections (see derivcheck/web/present.py): a heading each, its rows
// aligned on their relation, its sentences as paragraphs.
export function sections(list, level = 3) {
  return list.map((section) => {
    const box = el("section", { class: `derivation-section kind-${section.kind}`, dataset: { kind: section.kind } });
    if (section.title) box.append(el(`h${level}`, {}, parts(section.title)));
    for (const block of section.blocks) {
      if (block.sentence) {
        box.append(el("p", { class: "sentence" }, parts(block.sentence)));
        continue;
      }
      const grid = el("div", { class: "rows" });
      for (const row of block.rows) {
        const line = el("div", { class: "row" },
          el("span", { class: "lhs" }, math(`\\displaystyle ${row.lhs}`)),
          el("span", { class: "rel" }, row.relation ? math(row.relation) : ""),
          el("span", { class: "rhs" }, row.rhs ? math(`\\displaystyle ${row.rhs}`) : ""),
          el("span", { class: "note" }, parts(row.note)),
        );
        grid.append(line);
      }
      box.append(grid);
    }
    return box;
  });
}

// ---- errors ---------------------------------------------------------------------

// An error from the API: its message as the command line prints it (with the caret), in
// a <pre> so that the caret stands under the problem.
export function errorBox(error) {
  const body = (error && error.error) || error || {};
  return el("div", { class: "error", role: "alert", dataset: { key: body.key || "" } },
    el("strong", { dataset: { word: "web.error" } }, t("web.error")),
    el("pre", { class: "message" }, body.message || ""),
  );
}

// The input's text with the character at `position` marked (for a parse error).
export function marked(text, position) {
  if (position === null || position === undefined || position < 0) return el("span", {}, text);
  const chars = Array.from(text);
  const before = chars.slice(0, position).join("");
  const at = chars[position] !== undefined ? chars[position] : " ";
  return el("span", { class: "marked" }, before, el("mark", {}, at), chars.slice(position + 1).join(""));
}

// ---- the graph ------------------------------------------------------------------

let mermaidLoading = null;
let graphCount = 0;

function loadMermaid() {
  if (!mermaidLoading) {
    mermaidLoading = new Promise((done, fail) => {
      const script = el("script", { src: "/static/vendor/mermaid/mermaid.min.js" });
      script.addEventListener("load", () => {
        window.mermaid.initialize({
          // Labels as SVG text (no HTML inside the SVG), so that it parses as SVG.
          startOnLoad: false, securityLevel: "strict", theme: "default", htmlLabels: false,
          flowchart: { htmlLabels: false, useMaxWidth: true },
        });
        done(window.mermaid);
      });
      script.addEventListener("error", fail);
      document.head.append(script);
    });
  }
  return mermaidLoading;
}

// Mermaid's flowchart drawn into `node` (its SVG parsed as SVG: no HTML is written).
export async function mermaidInto(node, source) {
  const mermaid = await loadMermaid();
  graphCount += 1;
  const { svg } = await mermaid.render(`graph-${graphCount}`, source);
  const parsed = new DOMParser().parseFromString(svg, "image/svg+xml");
  const root = parsed.documentElement;
  if (root.nodeName.toLowerCase() !== "svg") throw new Error("not an SVG");
  clear(node, document.importNode(root, true));
}

export function copyButton(getText) {
  const button = el("button", { type: "button", class: "copy", dataset: { word: "web.copy" } }, t("web.copy"));
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(getText());
      button.textContent = t("web.copied");
    } catch (error) {
      button.textContent = t("web.error");
    }
    setTimeout(() => { button.textContent = t("web.copy"); }, 1500);
  });
  return button;
}

// ---- the address bar ------------------------------------------------------------

export function query() {
  return new URLSearchParams(window.location.search);
}

// Panels call this when what the address bar should hold for them has changed.
export function remember() {
  if (state.remember) state.remember();
}

export function setQuery(values) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== "") params.set(name, value);
  }
  const address = `${window.location.pathname}?${params.toString()}`;
  window.history.replaceState(null, "", address);
  return address;
}
