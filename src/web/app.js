"use strict";
// The search page. The URL is the whole state: every change pushes a URL and
// the page renders from it, so links, bookmarks and the back button just work.

// The facets as the API lists them (`/api/facets`), in the order of a
// response's lists; loaded once, before the first render.
let FACETS = [];
const facetsLoaded = fetch("/api/facets").then((r) => r.json()).then((b) => { FACETS = b.facets || []; });
// Filters the API takes, repeatable; the year facet is drawn as the histogram.
const FILTERS = () => FACETS.map((f) => f.name);
const YEAR = () => (FACETS.find((f) => f.kind === "year") || { name: "year" }).name;
// Panels for the others: open vocabularies first, the short closed lists below.
const PANELS = () => FACETS.filter((f) => f.kind !== "year").sort((a, b) => (a.values ? 1 : 0) - (b.values ? 1 : 0)).map((f) => f.name);
// Panels with many values get a box that asks the API for values by prefix.
const SEARCHABLE = () => FACETS.filter((f) => f.many_values).map((f) => f.name);

const T = {
  en: {
    skip: "Skip to results", tagline: "Belgian & EU migration and asylum policy", uiLang: "Interface language",
    search: "Search", searchBtn: "Search", placeholder: "e.g. apatrides, opvangcrisis, labour migration",
    sort: "Sort", relevance: "Most relevant", newest: "Newest first", perPage: "Per page",
    versions: "Show versions in", queryLang: "the query's language", filters: "Filters",
    yearsHelp: "Click a year to filter; drag across years for a range.", from: "From", to: "To",
    yearBar: (y, n) => `${y}: ${n} document${n === 1 ? "" : "s"}`,
    csv: "Export CSV", atom: "Follow (Atom)", results: (n) => `${n} result${n === 1 ? "" : "s"}`, for: "for",
    searching: "Searching…", alsoSearched: "Also searched:", error: "The search failed:",
    noResults: "No documents match this search.", tryRemove: "Remove a filter:", clearAll: "Clear all filters",
    trySpelling: "Check the spelling, or use fewer or more general words.",
    tryLanguage: "Try another language: the sources publish in French, Dutch and English.",
    firstPage: "Go to the first page", remove: "Remove filter", prev: "Previous", next: "Next", pages: "Pages",
    similar: "Similar", noSimilar: "No similar documents.", unavailable: "Not available.", archived: "Archived copy",
    inferred: "inferred", inferredTitle: "Theme inferred from the text", in: "in", linkedFrom: "linked from",
    undated: "undated", find: "Find…", noMatch: "No value matches.",
    more: "More values", fewer: "Fewer values",
  },
  fr: {
    skip: "Aller aux résultats", tagline: "Politique belge et européenne de migration et d'asile", uiLang: "Langue de l'interface",
    search: "Rechercher", searchBtn: "Rechercher", placeholder: "p. ex. apatrides, opvangcrisis, labour migration",
    sort: "Tri", relevance: "Pertinence", newest: "Plus récents d'abord", perPage: "Par page",
    versions: "Versions en", queryLang: "langue de la requête", filters: "Filtres",
    yearsHelp: "Cliquez sur une année pour filtrer ; glissez sur plusieurs années pour une période.", from: "Du", to: "Au",
    yearBar: (y, n) => `${y} : ${n} document${n > 1 ? "s" : ""}`,
    csv: "Exporter en CSV", atom: "Suivre (Atom)", results: (n) => `${n} résultat${n > 1 ? "s" : ""}`, for: "pour",
    searching: "Recherche…", alsoSearched: "Aussi recherché :", error: "La recherche a échoué :",
    noResults: "Aucun document ne correspond à cette recherche.", tryRemove: "Retirez un filtre :", clearAll: "Retirer tous les filtres",
    trySpelling: "Vérifiez l'orthographe, ou utilisez moins de mots ou des mots plus généraux.",
    tryLanguage: "Essayez une autre langue : les sources publient en français, néerlandais et anglais.",
    firstPage: "Aller à la première page", remove: "Retirer le filtre", prev: "Précédente", next: "Suivante", pages: "Pages",
    similar: "Similaires", noSimilar: "Aucun document similaire.", unavailable: "Indisponible.", archived: "Copie archivée",
    inferred: "déduit", inferredTitle: "Thème déduit du texte", in: "dans", linkedFrom: "lié depuis",
    undated: "non daté", find: "Chercher…", noMatch: "Aucune valeur ne correspond.",
    more: "Plus de valeurs", fewer: "Moins de valeurs",
  },
  nl: {
    skip: "Naar de resultaten", tagline: "Belgisch en Europees migratie- en asielbeleid", uiLang: "Taal van de interface",
    search: "Zoeken", searchBtn: "Zoeken", placeholder: "bv. apatrides, opvangcrisis, labour migration",
    sort: "Sorteren", relevance: "Meest relevant", newest: "Nieuwste eerst", perPage: "Per pagina",
    versions: "Versies in", queryLang: "de taal van de zoekvraag", filters: "Filters",
    yearsHelp: "Klik op een jaar om te filteren; sleep over jaren voor een periode.", from: "Van", to: "Tot",
    yearBar: (y, n) => `${y}: ${n} document${n === 1 ? "" : "en"}`,
    csv: "Exporteren als CSV", atom: "Volgen (Atom)", results: (n) => `${n} resulta${n === 1 ? "at" : "ten"}`, for: "voor",
    searching: "Zoeken…", alsoSearched: "Ook gezocht:", error: "Het zoeken is mislukt:",
    noResults: "Geen documenten gevonden voor deze zoekopdracht.", tryRemove: "Verwijder een filter:", clearAll: "Alle filters wissen",
    trySpelling: "Controleer de spelling, of gebruik minder of algemenere woorden.",
    tryLanguage: "Probeer een andere taal: de bronnen publiceren in het Frans, Nederlands en Engels.",
    firstPage: "Naar de eerste pagina", remove: "Filter verwijderen", prev: "Vorige", next: "Volgende", pages: "Pagina's",
    similar: "Vergelijkbaar", noSimilar: "Geen vergelijkbare documenten.", unavailable: "Niet beschikbaar.", archived: "Gearchiveerde kopie",
    inferred: "afgeleid", inferredTitle: "Thema afgeleid uit de tekst", in: "in", linkedFrom: "gelinkt vanuit",
    undated: "zonder datum", find: "Zoeken…", noMatch: "Geen waarde gevonden.",
    more: "Meer waarden", fewer: "Minder waarden",
  },
};

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
// Only web links leave the page: a stored URL is data, not trusted markup.
const safeUrl = (u) => (/^https?:\/\//i.test(u || "") ? u : "#");
let ui = "en";
// A facet's name comes with the facet, in the page's languages.
const t = (key, ...args) => {
  const facet = FACETS.find((f) => f.name === key);
  const v = T[ui][key] ?? (facet && (facet.labels[ui] || facet.labels.en)) ?? T.en[key];
  return typeof v === "function" ? v(...args) : v;
};

const urlState = () => new URLSearchParams(location.search);
// `ui` is the page's own: the API answers unknown parameters with 400.
function apiParams(p) {
  const a = new URLSearchParams(p);
  a.delete("ui");
  return a;
}

function pickUi(p) {
  if (T[p.get("ui")]) return p.get("ui");
  for (const l of navigator.languages || [navigator.language]) {
    const code = String(l).slice(0, 2).toLowerCase();
    if (T[code]) return code;
  }
  return "en";
}

let typing = false;
let focusResults = false;
function go(p, replace = false) {
  const s = p.toString();
  history[replace ? "replaceState" : "pushState"](null, "", s ? "?" + s : location.pathname);
  render();
}

function setParam(name, value, resetPage = true) {
  const p = urlState();
  if (value) p.set(name, value); else p.delete(name);
  if (resetPage) p.delete("page");
  typing = false;
  go(p);
}

function toggle(name, value) {
  const p = urlState();
  const values = p.getAll(name);
  p.delete(name);
  p.delete("page");
  (values.includes(value) ? values.filter((v) => v !== value) : values.concat([value])).forEach((v) => p.append(name, v));
  typing = false;
  go(p);
}

// Searching as one types: the first change of a burst gets a history entry, the rest replace it.
function searchTyped(final) {
  const p = urlState();
  const q = $("q").value.trim();
  if (q) p.set("q", q); else p.delete("q");
  p.delete("page");
  if (p.toString() !== location.search.slice(1)) go(p, typing);
  typing = !final;
}

// --- rendering --------------------------------------------------------------

let last = { facets: {} };
let controller = null;

async function render() {
  await facetsLoaded.catch(() => {});
  const p = urlState();
  const rendering = location.search;
  ui = pickUi(p);
  applyUi(p);
  syncForm(p);
  if (controller) controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  $("hits").setAttribute("aria-busy", "true");
  const query = apiParams(p).toString();
  let body;
  try {
    const r = await fetch("/api/search" + (query ? "?" + query : ""), { signal });
    body = await r.json();
    if (!r.ok) throw new Error((body.error && body.error.message) || r.statusText);
  } catch (e) {
    if (e.name === "AbortError") return;
    $("status").innerHTML = `<span class="error" role="alert">${esc(t("error"))} ${esc(e.message)}</span>`;
    $("hits").innerHTML = "";
    $("hits").setAttribute("aria-busy", "false");
    $("results").dataset.rendered = rendering;
    return;
  }
  last = body;
  keepFocus(() => {
    renderStatus(body, p);
    renderFacets(body, p);
    renderHistogram(body, p);
    renderActive(p);
    renderHits(body, p);
    renderPager(body);
  });
  $("hits").setAttribute("aria-busy", "false");
  if (focusResults) {
    focusResults = false;
    $("results").focus();
  }
  for (const name of SEARCHABLE()) if (finds[name]) findValues(name, finds[name]);
  // Tests and scripts wait for this: the page now shows this URL.
  $("results").dataset.rendered = rendering;
}

function applyUi(p) {
  document.documentElement.lang = ui;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const b of document.querySelectorAll("[data-ui]")) b.setAttribute("aria-pressed", String(b.dataset.ui === ui));
  $("q").placeholder = t("placeholder");
  $("pager").setAttribute("aria-label", t("pages"));
  const q = p.get("q");
  document.title = (q ? q + " — " : "") + "migrasearch";
  const base = apiParams(p);
  base.delete("page");
  const s = base.toString() ? "?" + base : "";
  $("csv").href = "/api/search.csv" + s;
  $("atom").href = "/api/search.atom" + s;
}

function syncForm(p) {
  // Leave what is being typed alone (a trailing space is not a new query).
  if ($("q").value.trim() !== (p.get("q") || "")) $("q").value = p.get("q") || "";
  $("sort").value = p.get("sort") === "date" ? "date" : "";
  $("lang").value = p.get("lang") || "";
  const per = p.get("per_page") === "20" ? "" : p.get("per_page") || ""; // 20 is the default
  if (![...$("per_page").options].some((o) => o.value === per)) $("per_page").add(new Option(per, per));
  $("per_page").value = per;
  $("from").value = p.get("from") || "";
  $("to").value = p.get("to") || "";
}

// Re-rendering replaces the controls: put keyboard focus back on the same one.
function keepFocus(update) {
  const a = document.activeElement;
  let key = null;
  if (a && a.dataset) {
    if (a.dataset.facet) key = `input[data-facet="${CSS.escape(a.dataset.facet)}"][value="${CSS.escape(a.value)}"]`;
    else if (a.dataset.year) key = `.bar[data-year="${a.dataset.year}"]`;
    else if (a.dataset.find) key = `input[data-find="${a.dataset.find}"]`;
  }
  update();
  if (a && a !== document.body && !document.contains(a)) {
    const next = key && document.querySelector(key);
    if (next) next.focus();
    else $("results").focus({ preventScroll: true });
  }
}

function display(name, value) {
  if (name === "language") {
    try {
      return new Intl.DisplayNames([ui], { type: "language" }).of(value) || value;
    } catch {
      return value;
    }
  }
  return value;
}

function fmtDate(d) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d || "")) return d || t("undated");
  return new Intl.DateTimeFormat(ui, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(d + "T00:00:00Z"));
}

function renderStatus(body, p) {
  const q = p.get("q");
  $("status").innerHTML = `<strong>${esc(t("results", body.total))}</strong>` +
    (q ? ` ${esc(t("for"))} <q>${esc(q)}</q>` : "") + ` · ${esc(body.took_ms)} ms`;
  const added = [...new Set((body.expansions || []).flatMap((e) => e.added || []))];
  $("expansions").textContent = added.length ? `${t("alsoSearched")} ${added.slice(0, 8).join(", ")}${added.length > 8 ? ", …" : ""}` : "";
  $("expansions").title = added.join(", ");
}

// A facet's values, with the URL's selected ones always listed (the API
// may not list them, or not mark them, before disjunctive facets).
function facetValues(list, name, p) {
  const selected = p.getAll(name);
  const values = (list || []).map((f) => ({ value: String(f.value), count: f.count ?? 0 }));
  for (const v of selected) if (!values.some((f) => f.value === v)) values.push({ value: v, count: 0 });
  return values.map((f) => ({ ...f, selected: selected.includes(f.value) }));
}

const valuesHtml = (name, values) => values.length ? values.map((f) =>
  `<label><input type="checkbox" data-facet="${name}" value="${esc(f.value)}"${f.selected ? " checked" : ""}>` +
  `<span>${esc(display(name, f.value))}</span><span class="count${f.count ? "" : " zero"}">${f.count}</span></label>`).join("")
  : `<p class="help">${esc(t("noMatch"))}</p>`;

const finds = {};

// Values per panel by default, and when a reader asks for more.
const FACET_SIZE = 10;
const FACET_SIZE_MORE = 50;

function renderFacets(body, p) {
  const size = Number(p.get("facet_size")) || FACET_SIZE;
  $("facets").innerHTML = PANELS().map((name) => {
    const values = facetValues((body.facets || {})[name], name, p);
    if (!values.length && !finds[name]) return "";
    const box = SEARCHABLE().includes(name) ?
      `<input type="search" data-find="${name}" value="${esc(finds[name] || "")}" placeholder="${esc(t("find"))}" aria-label="${esc(t(name))}: ${esc(t("find"))}">` : "";
    // A full list may have been cut by the API's facet_size: offer the rest.
    const unselected = values.filter((f) => !f.selected).length;
    const more = size > FACET_SIZE ? `<button type="button" class="more" data-size="">${esc(t("fewer"))}</button>`
      : unselected >= size ? `<button type="button" class="more" data-size="${FACET_SIZE_MORE}">${esc(t("more"))}</button>` : "";
    return `<fieldset class="facet" data-name="${name}"><legend>${esc(t(name))}</legend>${box}<div class="values">${valuesHtml(name, values)}</div>${more}</fieldset>`;
  }).join("");
}

// Values of a searchable facet by prefix, counted in the current search
// by the API's lookup (as the panel counts them); an older API without the
// lookup gets the search's own values filtered here.
async function findValues(name, prefix) {
  finds[name] = prefix;
  const p = urlState();
  let values = null;
  if (prefix) {
    const q = apiParams(p);
    ["page", "per_page", "facet_size"].forEach((k) => q.delete(k));
    q.set("prefix", prefix);
    q.set("limit", "10");
    try {
      const r = await fetch(`/api/facets/${name}?${q}`);
      if (r.ok) values = (await r.json()).values || [];
    } catch { /* fall back below */ }
    if (values === null) {
      const needle = prefix.toLowerCase();
      values = ((last.facets || {})[name] || []).filter((f) => String(f.value).toLowerCase().includes(needle));
    }
  } else {
    values = (last.facets || {})[name] || [];
  }
  if (finds[name] !== prefix) return; // a later keystroke won
  const box = document.querySelector(`fieldset[data-name="${name}"] .values`);
  if (!box) return;
  keepFocus(() => {
    box.innerHTML = valuesHtml(name, facetValues(values, name, p));
  });
}

// One bar per year, gaps filled with zeros (the API may list only years with documents).
function yearCounts(body, p) {
  const counts = new Map();
  for (const f of (body.facets || {})[YEAR()] || []) if (/^\d{4}$/.test(f.value)) counts.set(Number(f.value), f.count);
  for (const y of p.getAll(YEAR())) if (/^\d{4}$/.test(y) && !counts.has(Number(y))) counts.set(Number(y), 0);
  if (!counts.size) return [];
  const years = [...counts.keys()];
  const out = [];
  for (let y = Math.min(...years); y <= Math.max(...years); y++) out.push([y, counts.get(y) || 0]);
  return out;
}

function inRange(y, p) {
  const from = p.get("from"), to = p.get("to");
  return Boolean(from || to) && (!from || `${y}-12-31` >= from) && (!to || `${y}-01-01` <= to);
}

function renderHistogram(body, p) {
  const years = yearCounts(body, p);
  const max = Math.max(1, ...years.map(([, c]) => c));
  const selected = p.getAll(YEAR());
  const step = years.length <= 12 ? 1 : years.length <= 40 ? 5 : 10;
  const focusable = selected[0] || String(years.length ? years[years.length - 1][0] : "");
  $("histogram").innerHTML = years.map(([y, c]) => {
    const label = esc(t("yearBar", y, c));
    return `<button type="button" class="bar${inRange(y, p) ? " range" : ""}" data-year="${y}" aria-pressed="${selected.includes(String(y))}"` +
      ` tabindex="${String(y) === focusable ? 0 : -1}" aria-label="${label}" title="${label}">` +
      `<span class="fill" style="height:${c ? Math.max(4, Math.round((100 * c) / max)) : 0}%"></span>` +
      (y % step === 0 ? `<span class="yl" aria-hidden="true">${y}</span>` : "") + "</button>";
  }).join("");
  $("years").hidden = !years.length && !p.get("from") && !p.get("to");
}

function activeFilters(p) {
  const list = [];
  for (const name of FILTERS()) for (const v of p.getAll(name)) list.push([name, v, `${t(name)}: ${display(name, v)}`]);
  for (const name of ["from", "to"]) if (p.get(name)) list.push([name, p.get(name), `${t(name)} ${p.get(name)}`]);
  return list;
}

function activeHtml(p) {
  const list = activeFilters(p);
  return list.map(([name, value, label]) =>
    `<button type="button" data-remove="${name}" data-value="${esc(value)}" aria-label="${esc(t("remove"))}: ${esc(label)}">${esc(label)} <span aria-hidden="true">×</span></button>`).join("") +
    (list.length > 1 ? `<button type="button" data-clear>${esc(t("clearAll"))}</button>` : "");
}

function renderActive(p) {
  $("active").innerHTML = activeHtml(p);
}

// Snippets are HTML with <mark> only; keep exactly that, whatever arrives.
function clean(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const out = document.createElement("p");
  const walk = (from, to) => {
    for (const n of from.childNodes) {
      if (n.nodeType === Node.TEXT_NODE) to.append(n.data);
      else if (n.nodeName === "MARK") { const m = document.createElement("mark"); walk(n, m); to.append(m); }
      else walk(n, to);
    }
  };
  walk(tpl.content, out);
  return out.innerHTML;
}

function languagesHtml(h) {
  const versions = (h.versions || []).filter((v) => v && v.url);
  if (versions.length < 2) return esc((h.language || []).join(", ").toUpperCase());
  return `<span class="langs">${versions.map((v) =>
    `<a href="${esc(safeUrl(v.url))}" hreflang="${esc(v.language)}" lang="${esc(v.language)}" title="${esc(v.title)}">${esc(v.language || "?")}</a>`).join("")}</span>`;
}

function hitHtml(h) {
  const kind = h.passage ? h.passage.kind : /\.pdf($|#)/i.test(h.url || "") ? "PDF" : "";
  const snippets = (Array.isArray(h.snippets) && h.snippets.length ? h.snippets : [h.snippet]).filter(Boolean);
  const parent = h.parent && h.parent.url ? h.parent : h.parent_url ? { url: h.parent_url } : null;
  const meta = [
    esc(fmtDate(h.date)) + (h.passage && h.passage.slot ? ` ${esc(h.passage.slot)}` : ""),
    esc(h.source), esc(h.type), languagesHtml(h),
    parent ? `${esc(t(h.passage ? "in" : "linkedFrom"))} <a href="${esc(safeUrl(parent.url))}">${esc(parent.title || parent.url)}</a>` : "",
  ].filter(Boolean).join(" · ");
  const tags = (h.themes || []).map((x) => `<span class="tag theme">${esc(x)}</span>`).join("") +
    (h.themes_inferred || []).map((x) => `<span class="tag inferred" title="${esc(t("inferredTitle"))}">${esc(x)} <small>(${esc(t("inferred"))})</small></span>`).join("") +
    (h.organisations || []).map((x) => `<span class="tag">${esc(x)}</span>`).join("");
  const id = encodeURIComponent(h.id || "");
  return `<article class="hit" data-id="${esc(h.id)}">` +
    `<h3>${kind ? `<span class="kind">${esc(kind)}</span>` : ""}<a class="title" href="${esc(safeUrl(h.url))}">${esc(h.title || h.url)}</a></h3>` +
    `<div class="meta">${meta}</div>` + snippets.map((s) => `<p class="snippet">${clean(s)}</p>`).join("") +
    (tags ? `<div class="tags">${tags}</div>` : "") +
    (id ? `<div class="links"><button type="button" data-similar="${esc(id)}" aria-expanded="false">${esc(t("similar"))}</button>` +
      `<a href="/api/documents/${esc(id)}/archived" target="_blank" rel="noopener">${esc(t("archived"))}</a></div>` : "") +
    "</article>";
}

function renderHits(body, p) {
  const hits = body.hits || [];
  if (hits.length) {
    $("hits").innerHTML = hits.map(hitHtml).join("");
    return;
  }
  // An empty page says what to try next.
  const active = activeHtml(p);
  $("hits").innerHTML = `<div class="empty"><p><strong>${esc(t("noResults"))}</strong></p><ul>` +
    (body.total > 0 ? `<li><button type="button" data-page="1">${esc(t("firstPage"))}</button></li>` : "") +
    (active ? `<li>${esc(t("tryRemove"))} <span class="chips">${active}</span></li>` : "") +
    (p.get("q") ? `<li>${esc(t("trySpelling"))}</li><li>${esc(t("tryLanguage"))}</li>` : "") + "</ul></div>";
}

// The API's last page (params::MAX_PAGE): deeper ones are refused with a 400.
const MAX_PAGE = 500;

function renderPager(body) {
  const pages = Math.min(Math.ceil(body.total / body.per_page) || 0, MAX_PAGE);
  const page = body.page || 1;
  if (pages < 2) { $("pager").innerHTML = ""; return; }
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  let html = page > 1 ? `<button type="button" data-page="${page - 1}">‹ ${esc(t("prev"))}</button>` : "";
  shown.forEach((n, i) => {
    if (i && n - shown[i - 1] > 1) html += "<span>…</span>";
    html += `<button type="button" data-page="${n}"${n === page ? ' aria-current="page"' : ""}>${n}</button>`;
  });
  if (page < pages) html += `<button type="button" data-page="${page + 1}">${esc(t("next"))} ›</button>`;
  $("pager").innerHTML = html;
}

async function toggleSimilar(button) {
  const card = button.closest(".hit");
  const open = card.querySelector(".similar");
  if (open) { open.remove(); button.setAttribute("aria-expanded", "false"); return; }
  const box = document.createElement("div");
  box.className = "similar";
  box.id = "similar-" + button.dataset.similar;
  box.setAttribute("aria-live", "polite");
  box.textContent = t("searching");
  button.setAttribute("aria-controls", box.id);
  button.setAttribute("aria-expanded", "true");
  card.append(box);
  try {
    const r = await fetch(`/api/documents/${button.dataset.similar}/similar`);
    if (!r.ok) throw new Error(r.statusText);
    const hits = (await r.json()).hits || [];
    box.innerHTML = hits.length ? "<ul>" + hits.map((h) =>
      `<li><a href="${esc(safeUrl(h.url))}">${esc(h.title || h.url)}</a> <span class="meta">${esc([fmtDate(h.date), h.source].filter(Boolean).join(" · "))}</span></li>`).join("") + "</ul>"
      : esc(t("noSimilar"));
  } catch {
    box.textContent = t("unavailable");
  }
}

// --- events -------------------------------------------------------------------

document.addEventListener("click", (e) => {
  const el = e.target.closest("button");
  if (!el) return;
  const d = el.dataset;
  if (d.year) return toggle(YEAR(), d.year);
  if (d.ui) return setParam("ui", d.ui, false);
  if (d.similar) return toggleSimilar(el);
  if ("size" in d) return setParam("facet_size", d.size, false);
  if (d.page) {
    const p = urlState();
    p.set("page", d.page);
    focusResults = true;
    return go(p);
  }
  if (d.remove) {
    const p = urlState();
    const rest = p.getAll(d.remove).filter((v) => v !== d.value);
    p.delete(d.remove);
    rest.forEach((v) => p.append(d.remove, v));
    p.delete("page");
    return go(p);
  }
  if ("clear" in d) {
    const p = urlState();
    [...FILTERS(), "from", "to", "page"].forEach((k) => p.delete(k));
    return go(p);
  }
});

document.addEventListener("change", (e) => {
  const el = e.target;
  if (el.dataset.facet) return toggle(el.dataset.facet, el.value);
  if (["sort", "per_page", "lang", "from", "to"].includes(el.id)) return setParam(el.id, el.value);
});

let findTimer = null;
document.addEventListener("input", (e) => {
  const name = e.target.dataset && e.target.dataset.find;
  if (!name) return;
  clearTimeout(findTimer);
  findTimer = setTimeout(() => findValues(name, e.target.value.trim()), 200);
});

let typeTimer = null;
$("q").addEventListener("input", () => {
  clearTimeout(typeTimer);
  typeTimer = setTimeout(() => searchTyped(false), 250);
});
$("form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(typeTimer);
  searchTyped(true);
});

// The histogram: a click toggles a year, a drag across bars picks a range.
let drag = null;
const barAt = (x, y) => { const el = document.elementFromPoint(x, y); return el && el.closest(".bar"); };
$("histogram").addEventListener("pointerdown", (e) => {
  const bar = e.target.closest(".bar");
  if (!bar || e.button !== 0) return;
  // Touch captures the pointer on its first element; we want to see the others.
  if (bar.hasPointerCapture(e.pointerId)) bar.releasePointerCapture(e.pointerId);
  drag = { start: Number(bar.dataset.year), end: Number(bar.dataset.year) };
});
$("histogram").addEventListener("pointermove", (e) => {
  if (!drag) return;
  const bar = barAt(e.clientX, e.clientY);
  if (!bar) return;
  drag.end = Number(bar.dataset.year);
  const lo = Math.min(drag.start, drag.end), hi = Math.max(drag.start, drag.end);
  for (const b of $("histogram").children) b.classList.toggle("range", b.dataset.year >= lo && b.dataset.year <= hi);
});
document.addEventListener("pointerup", () => {
  const d = drag;
  drag = null;
  if (!d || d.start === d.end) return; // a plain click: the click handler toggles the year
  const p = urlState();
  p.delete(YEAR());
  p.delete("page");
  p.set("from", `${Math.min(d.start, d.end)}-01-01`);
  p.set("to", `${Math.max(d.start, d.end)}-12-31`);
  go(p);
});
// One tab stop for the histogram; arrows move between years.
$("histogram").addEventListener("keydown", (e) => {
  const step = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
  const bar = e.target.closest(".bar");
  const next = step && bar && (step < 0 ? bar.previousElementSibling : bar.nextElementSibling);
  if (!next) return;
  e.preventDefault();
  bar.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
});

window.addEventListener("popstate", () => { typing = false; render(); });
// Phone-sized screens start with the filters folded above the results.
if (matchMedia("(max-width: 760px)").matches) $("filters").open = false;
render();
