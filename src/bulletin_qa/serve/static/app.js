// The reading room. Every text that comes from articles or a model is put into the page with
// textContent / text nodes (el() below), never as HTML. The token, when the server has one, travels
// in an HttpOnly cookie set by /?token=...; this script never sees it.
"use strict";

const $ = (id) => document.getElementById(id);
let status = { mode: "extractive", model: null, articles: 0, history: true };
let conversation = null;

/** An element with attributes and children; strings become text nodes (never parsed as HTML). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

/** The error a failed API call returned, as one line ("message hint"). */
async function errorText(res) {
  try {
    const body = await res.json();
    return [body.error, body.hint].filter(Boolean).join(" ");
  } catch (e) {
    return `HTTP ${res.status}`;
  }
}

async function api(path, options) {
  const res = await fetch(path, options);
  if (!res.ok) throw new Error(await errorText(res));
  return res.json();
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  }
  return q.toString();
}

// -- tabs -------------------------------------------------------------------------------------

function showTab(name) {
  for (const button of document.querySelectorAll(".tabs button")) {
    const on = button.dataset.tab === name;
    button.setAttribute("aria-selected", on ? "true" : "false");
    $(`tab-${button.dataset.tab}`).hidden = !on;
  }
  if (name === "history") loadHistory();
  if (name === "glossary") loadGlossary();
}

// -- the article reader -------------------------------------------------------------------------

/** [start, end) of `quote` in `text`, ignoring whitespace (pages are reflowed); null when absent. */
function findQuote(text, quote) {
  if (!quote) return null;
  const exact = text.indexOf(quote);
  if (exact >= 0) return [exact, exact + quote.length];
  const map = [];
  let squeezed = "";
  for (let i = 0; i < text.length; i++) {
    if (!/\s/.test(text[i])) { map.push(i); squeezed += text[i]; }
  }
  const target = quote.replace(/\s+/g, "");
  const at = squeezed.indexOf(target);
  if (at < 0 || !target) return null;
  return [map[at], map[at + target.length - 1] + 1];
}

/** Paragraphs of `text` with [start, end) wrapped in <mark>. */
function renderText(container, text, range) {
  clear(container);
  let offset = 0;
  let marked = null;
  for (const para of text.split("\n")) {
    const p = el("p");
    const start = offset, end = offset + para.length;
    if (range && range[0] < end && range[1] > start) {
      const a = Math.max(range[0], start) - start, b = Math.min(range[1], end) - start;
      const mark = el("mark", {}, para.slice(a, b));
      p.append(para.slice(0, a), mark, para.slice(b));
      marked = marked || mark;
    } else {
      p.append(para);
    }
    container.append(p);
    offset = end + 1;
  }
  return marked;
}

async function openArticle(id, quote) {
  const reader = $("reader");
  try {
    const a = await api(`/api/articles/${encodeURIComponent(id)}`);
    $("reader-title").textContent = a.title || a.id;
    $("reader-subtitle").textContent = a.subtitle || "";
    const date = a.date ? (a.date_approximate ? `约 ${a.date}` : a.date) : "日期不详";
    const people = (a.reporters || []).concat(a.correspondents || []).join("、");
    $("reader-meta").textContent = [date, a.source, people].filter(Boolean).join(" · ");
    reader.hidden = false;
    const mark = renderText($("reader-text"), a.text, findQuote(a.text, quote));
    reader.scrollTop = 0;
    if (mark) mark.scrollIntoView({ block: "center" });
    $("reader-close").focus({ preventScroll: true });
  } catch (e) {
    alert(e.message);
  }
}

// -- asking ---------------------------------------------------------------------------------------

/** Answer text with its [n] markers as buttons opening the cited article at the quoted sentence. */
function answerText(answer) {
  const byN = new Map((answer.citations || []).map((c) => [String(c.n), c]));
  const p = el("p", { class: "answer-text" });
  for (const part of answer.answer.split(/(\[\d+\])/)) {
    const m = part.match(/^\[(\d+)\]$/);
    const c = m && byN.get(m[1]);
    p.append(c ? el("button", { type: "button", class: "cite", title: c.title,
                                onclick: () => openArticle(c.article_id, c.quote) }, part) : part);
  }
  return p;
}

function renderAnswer(answer, meta) {
  const box = clear($("answer"));
  box.hidden = false;
  if (answer.refused) {
    box.append(el("div", { class: "refusal" }, el("p", { class: "answer-text" }, answer.answer),
                  el("p", { class: "searched" }, "检索范围 Searched: ", answer.searched || "")));
  } else {
    box.append(answerText(answer));
  }
  if (answer.unsupported && answer.unsupported.length) {
    box.append(el("p", { class: "warn" }, "⚠ 未能在来源中核实 Not verified against the sources:"),
               el("ul", {}, answer.unsupported.map((u) => el("li", { class: "warn" }, u))));
  }
  if (answer.citations && answer.citations.length) {
    box.append(el("p", { class: "label" }, "来源 Sources"),
               el("ol", { class: "sources" }, answer.citations.map((c) => el("li", {},
                 `[${c.n}] `,
                 el("button", { type: "button", class: "source-link", onclick: () => openArticle(c.article_id, c.quote) },
                    `《${c.title || c.article_id}》 ${c.date || ""}`),
                 c.verified ? "" : el("span", { class: "warn" }, " ［未核实 unverified］"),
                 c.quote ? el("span", { class: "quote" }, `“${c.quote}”`) : ""))));
  }
  const how = answer.mode === "extractive" ? "离线：引用原文句子 Offline: quoted sentences" : `模型 Model: ${answer.model || ""}`;
  box.append(el("p", { class: "muted" }, how));
  if (meta && meta.conversation) conversation = meta.conversation;
}

/** Server-sent events from a fetch response body: calls onEvent(name, data) per event. */
async function readEvents(res, onEvent) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      onEvent(name, data ? JSON.parse(data) : null);
    }
  }
}

async function ask(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  const body = { question };
  if ($("ask-since").value) body.since = $("ask-since").value;
  if ($("ask-until").value) body.until = $("ask-until").value;
  if ($("follow-up").checked && conversation) body.conversation = conversation;
  const button = $("ask-button");
  button.disabled = true;
  const box = clear($("answer"));
  box.hidden = false;
  const live = el("p", { class: "answer-text" });
  box.append(el("p", { class: "muted" }, "正在检索… Searching…"), live);
  let meta = null;
  try {
    const res = await fetch("/api/ask", { method: "POST", body: JSON.stringify(body),
      headers: { "content-type": "application/json", accept: "text/event-stream" } });
    if (!res.ok) throw new Error(await errorText(res));
    await readEvents(res, (name, data) => {
      if (name === "token") live.append(data.text);
      else if (name === "meta") meta = data;
      else if (name === "answer") renderAnswer(data, meta);
      else if (name === "error") throw new Error([data.error, data.hint].filter(Boolean).join(" "));
    });
  } catch (e) {
    clear(box).append(el("p", { class: "warn" }, e.message));
  } finally {
    button.disabled = false;
  }
}

// -- articles -------------------------------------------------------------------------------------

const SHOWN = 300;

async function loadArticles(event) {
  if (event) event.preventDefault();
  const list = clear($("article-list"));
  try {
    const rows = await api(`/api/articles?${query({ since: $("art-since").value, until: $("art-until").value,
                                                    source: $("art-source").value.trim() })}`);
    rows.reverse();  // newest first
    $("articles-note").textContent = rows.length > SHOWN
      ? `${rows.length} 篇，显示最新 ${SHOWN} 篇；用日期缩小范围。 ${rows.length} articles, newest ${SHOWN} shown.`
      : `${rows.length} 篇文章 articles`;
    for (const a of rows.slice(0, SHOWN)) {
      const date = a.date ? (a.date_approximate ? `约 ${a.date}` : a.date) : "日期不详";
      list.append(el("li", {}, el("button", { type: "button", class: "open", onclick: () => openArticle(a.id) },
                                  a.title || a.id),
                     el("p", { class: "muted" }, `${date} · ${a.source}`)));
    }
  } catch (e) {
    $("articles-note").textContent = e.message;
  }
}

// -- digest ---------------------------------------------------------------------------------------

function renderDigest(d) {
  const lang = d.lang === "zh" ? "zh-CN" : "en";
  const head = [d.masthead, d.lang === "zh" ? "新闻周报" : "Weekly digest"].filter(Boolean).join(" · ");
  const section = el("section", { lang }, el("h2", {}, head), el("p", { class: "muted" },
    `${d.since} – ${d.until} · ${d.entries.length} ${d.lang === "zh" ? "条新闻" : "stories"}`));
  let theme = null;
  for (const e of d.entries) {
    if (e.theme && e.theme !== theme) { section.append(el("h3", { class: "theme" }, e.theme)); theme = e.theme; }
    const date = e.date ? (e.date_approximate ? `~${e.date}` : e.date) : "";
    section.append(el("article", {}, el("h3", {}, e.headline), el("p", { class: "muted" }, date),
      el("p", {}, e.summary),
      el("ul", { class: "sources" }, (e.citations || []).map((c) => el("li", {},
        el("button", { type: "button", class: "source-link", onclick: () => openArticle(c.article_id, c.quote) },
           `[${c.n}] 《${c.title || c.article_id}》 ${c.date || ""}`))))));
  }
  return section;
}

async function loadDigest(event) {
  if (event) event.preventDefault();
  const columns = clear($("digest-columns"));
  const params = { week: $("digest-week").value.trim(), by: $("digest-by").value,
                   source: $("digest-source").value.trim(), format: "json" };
  const langs = status.mode === "llm" ? ["zh", "en"] : ["zh"];
  $("digest-note").textContent = "正在生成… Making the digest…";
  columns.classList.toggle("two", langs.length === 2);
  try {
    const digests = await Promise.all(langs.map((lang) => api(`/api/digest?${query({ ...params, lang })}`)));
    digests.forEach((d) => columns.append(el("div", { class: "digest" }, renderDigest(d))));
    const d = digests[0];
    $("digest-note").textContent = (langs.length === 1 ? "离线：英文周报需要大模型。Offline: the English digest needs an LLM. " : "")
      + `${d.since} – ${d.until}, ${d.selected_by === "page" ? "按见报日期 by page date" : "按事件日期 by event date"}`;
    const links = clear($("digest-links"));
    links.append("下载 Download: ");
    for (const format of ["md", "html"]) {
      const href = `/api/digest?${query({ ...params, week: params.week || "", since: params.week ? "" : d.since,
                                          until: params.week ? "" : d.until, lang: langs.length === 2 ? "both" : "zh", format })}`;
      links.append(el("a", { href, download: `digest.${format}` }, format.toUpperCase()), " ");
    }
  } catch (e) {
    $("digest-note").textContent = e.message;
  }
}

// -- glossary -------------------------------------------------------------------------------------

const SECTIONS = ["people", "titles", "institutions", "places", "terms"];

async function loadGlossary() {
  try {
    const g = await api("/api/glossary");
    const count = Object.values(g.entries).reduce((n, s) => n + Object.keys(s).length, 0);
    $("glossary-info").textContent = `译名表 ${count} 条 entries · ${g.path || ""}`;
  } catch (e) {
    $("glossary-info").textContent = e.message;
  }
}

function proposalRow(p) {
  const en = el("input", { type: "text", value: p.en, maxlength: 120, "aria-label": `English for ${p.zh}` });
  const section = el("select", { "aria-label": "section" }, SECTIONS.map((s) => el("option", { value: s, selected: s === p.section }, s)));
  const result = el("span", { class: "muted" });
  const accept = el("button", { type: "button", class: "primary", onclick: async () => {
    accept.disabled = true;
    try {
      const done = await api("/api/glossary", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ zh: p.zh, en: en.value.trim(), section: section.value }) });
      result.className = "ok";
      result.textContent = done.added.length ? "✓ 已加入 added" : "已有 already there";
      loadGlossary();
    } catch (e) {
      result.className = "warn";
      result.textContent = e.message;
      accept.disabled = false;
    }
  } }, "采用 Accept");
  return el("li", {}, el("h3", {}, p.zh), el("p", { class: "muted" }, `${p.count} 次 mentions · ${p.note || ""}`),
            el("div", { class: "row" }, el("label", { class: "grow" }, "English", en), el("label", {}, "section", section), accept),
            result);
}

async function propose() {
  const list = clear($("proposal-list"));
  $("glossary-note").textContent = "正在查找… Reading the articles…";
  try {
    const found = await api("/api/glossary/proposals");
    $("glossary-note").textContent = `${found.proposals.length} 个建议，读了 ${found.articles_read} 篇文章 `
      + `(${found.proposals.length} proposals from ${found.articles_read} articles). 改好英文再采用 Edit, then accept.`;
    found.proposals.forEach((p) => list.append(proposalRow(p)));
  } catch (e) {
    $("glossary-note").textContent = e.message;
  }
}

// -- history --------------------------------------------------------------------------------------

async function loadHistory(event) {
  if (event) event.preventDefault();
  const list = clear($("history-list"));
  if (!status.history) { list.append(el("li", { class: "muted" }, "记录已关闭 History is off (BULLETIN_QA_HISTORY=0).")); return; }
  try {
    const entries = await api(`/api/history?${query({ q: $("history-q").value.trim(), limit: 100 })}`);
    if (!entries.length) list.append(el("li", { class: "muted" }, "还没有记录 Nothing yet."));
    for (const e of entries) {
      const when = e.time.replace("T", " ").slice(0, 16);
      list.append(el("li", {}, el("button", { type: "button", class: "open", onclick: () => {
        showTab("ask");
        $("question").value = e.question;
        renderAnswer({ ...e, question: e.standalone }, { conversation: e.conversation });
      } }, e.question), el("p", { class: "muted" }, `${when} · ${e.refused ? "未回答 refused" : e.answer.slice(0, 60)}`)));
    }
  } catch (e) {
    list.append(el("li", { class: "warn" }, e.message));
  }
}

// -- start ----------------------------------------------------------------------------------------

async function start() {
  if (location.search.includes("token=")) history.replaceState(null, "", location.pathname);  // the cookie has it now
  for (const button of document.querySelectorAll(".tabs button")) button.addEventListener("click", () => showTab(button.dataset.tab));
  $("ask-form").addEventListener("submit", ask);
  $("question").addEventListener("keydown", (e) => { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("ask-form").requestSubmit(); } });
  $("articles-form").addEventListener("submit", loadArticles);
  $("digest-form").addEventListener("submit", loadDigest);
  $("propose-button").addEventListener("click", propose);
  $("history-form").addEventListener("submit", loadHistory);
  $("reader-close").addEventListener("click", () => { $("reader").hidden = true; });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("reader").hidden = true; });
  try {
    status = await api("/api/status");
    if (status.masthead) $("masthead").textContent = `${status.masthead} · 新闻阅览室`;
    $("status").textContent = `${status.articles} 篇文章 articles · `
      + (status.mode === "llm" ? `模型 ${status.model}` : "离线（抽取式）offline, extractive");
    document.body.dataset.ready = "true";
  } catch (e) {
    $("status").textContent = e.message;
  }
}

document.addEventListener("DOMContentLoaded", start);
