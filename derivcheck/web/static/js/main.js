// The page: tabs for the panels, the language switch, the address bar.
//
// A panel is a module exporting {id, word, create()}; create() returns
// {element, show(params), params()}: show() is called with the address bar's parameters
// when the panel is opened, params() gives what the address bar should hold for it. To add
// a panel (higher derivatives, worked solutions, ...), write its module and list it here.

import { applyWords, el, loadWords, query, setLanguage, setQuery, state, t } from "./core.js";
import explain from "./panels/explain.js";
import check from "./panels/check.js";
import network from "./panels/network.js";
import teacher from "./panels/teacher.js";

const PANELS = [explain, check, network, teacher];

const made = new Map();
let current = null;

function tabOf(id) {
  return document.getElementById(`tab-${id}`);
}

function open(id, params = new URLSearchParams(), focus = false) {
  const panel = PANELS.find((p) => p.id === id) || PANELS[0];
  const main = document.getElementById("panel");
  if (!made.has(panel.id)) {
    const instance = panel.create();
    instance.element.id = `panel-${panel.id}`;
    instance.element.setAttribute("role", "tabpanel");
    instance.element.setAttribute("aria-labelledby", `tab-${panel.id}`);
    made.set(panel.id, instance);
    main.append(instance.element);
    applyWords(instance.element);
  }
  for (const [other, instance] of made) {
    instance.element.hidden = other !== panel.id;
  }
  for (const p of PANELS) {
    const tab = tabOf(p.id);
    const selected = p.id === panel.id;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  current = panel.id;
  made.get(panel.id).show(params);
  if (focus) tabOf(panel.id).focus();
  remember();
}

function remember() {
  const instance = made.get(current);
  setQuery({ panel: current === PANELS[0].id ? null : current, lang: state.lang, ...instance.params() });
}

function buildTabs() {
  const tabs = document.getElementById("tabs");
  for (const panel of PANELS) {
    const tab = el("button", {
      type: "button", role: "tab", id: `tab-${panel.id}`, "aria-controls": `panel-${panel.id}`,
      dataset: { word: panel.word, panel: panel.id },
    });
    tab.addEventListener("click", () => open(panel.id));
    tabs.append(tab);
  }
  // Arrow keys move between tabs (the WAI-ARIA tabs pattern), Home and End to the ends.
  tabs.addEventListener("keydown", (event) => {
    const index = PANELS.findIndex((p) => p.id === current);
    const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: PANELS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key] + PANELS.length) % PANELS.length;
    open(PANELS[next].id, new URLSearchParams(), true);
  });
}

function buildLanguages(languages) {
  for (const button of document.querySelectorAll("button.lang")) {
    button.hidden = !languages.includes(button.dataset.lang);
    button.addEventListener("click", () => {
      try { window.localStorage.setItem("derivcheck.lang", button.dataset.lang); } catch (error) { /* private mode */ }
      choose(button.dataset.lang);
      remember();
    });
  }
}

function choose(lang) {
  setLanguage(lang);
  for (const button of document.querySelectorAll("button.lang")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
  }
}

async function start() {
  const languages = await loadWords();
  const params = query();
  let stored = null;
  try { stored = window.localStorage.getItem("derivcheck.lang"); } catch (error) { /* private mode */ }
  const fromPage = document.documentElement.lang.startsWith("zh") ? "zh" : "en";
  const lang = [params.get("lang"), stored, fromPage].find((l) => languages.includes(l));
  state.lang = lang;
  state.remember = remember;
  buildTabs();
  buildLanguages(languages);
  choose(lang);
  open(params.get("panel") || PANELS[0].id, params);
  document.body.dataset.ready = "true";
  document.title = t("web.title");
}

start();
