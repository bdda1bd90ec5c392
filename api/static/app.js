/* gongbao web page: chat with cited answers, clause viewer and document browser.
 *
 * Plain DOM, no framework and no build step. Everything that comes from the service (answers, titles,
 * clause text) is untrusted and only ever reaches the page through textContent / createTextNode, never
 * innerHTML, so a clause containing "<script>" shows up as text.
 */
"use strict";

const API = {
  chat: "/v1/chat/completions",
  documents: "/v1/documents",
  document: (id) => `/v1/documents/${encodeURIComponent(id)}`,
  chunk: (id) => `/v1/chunks/${encodeURIComponent(id)}`,
};
const PATH_SEPARATOR = " › ";
const CITE_MARKER = /\[(\d+)\]/g;

const state = {
  messages: [], // finished turns, sent with every question so follow-ups ("那2030年呢？") work
  controller: null, // AbortController of the answer being streamed, if any
  documents: null, // GET /v1/documents, fetched the first time the browser opens
  documentsLoading: null, // the promise of that fetch, so it happens once
  chunks: new Map(), // chunk_id -> GET /v1/chunks/{id}, so reopening a citation is instant
  listScroll: 0, // where the document list was scrolled when a document was opened
  openDocId: null, // the document shown, so "back" can return focus to it in the list
  shownChunk: null, // the clause the dialog is showing (or loading)
};

const $ = (id) => document.getElementById(id);

/* ---------- small DOM helpers ---------- */

/** Create an element; string children become text nodes (never parsed as HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const sectionPath = (section) => (section && section.length ? section.join(PATH_SEPARATOR) : "");


/* ---------- talking to the service ---------- */

/** The message of a failed response: the service's {"error": {"message"}} if there is one. */
async function errorMessage(response) {
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) return body.error.message;
  } catch {
    /* not JSON (a proxy's error page, say): fall through to the status line */
  }
  return `请求失败（HTTP ${response.status}）`;
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(await errorMessage(response));
  return response.json();
}

/**
 * The data of each server-sent event of a fetch() response, as it arrives.
 * EventSource cannot POST, so the stream is read by hand: events end at a blank line, and an event's
 * "data:" lines are joined with newlines (the SSE rule); comments and other fields are ignored.
 */
async function* sseData(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const boundary = /\r\n\r\n|\n\n|\r\r/;
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let match;
    while ((match = boundary.exec(buffer)) !== null) {
      const block = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      const data = block
        .split(/\r\n|\n|\r/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(line.startsWith("data: ") ? 6 : 5));
      if (data.length) yield data.join("\n");
    }
  }
}

/**
 * Stream the answer to the last of `messages` (the earlier ones are the conversation so far).
 * Calls onText(fullTextSoFar) as pieces arrive; resolves with the text and the final chunk, which carries
 * citations, see_also and answerable.
 */
async function streamAnswer(messages, signal, onText) {
  const response = await fetch(API.chat, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    // sources: false: the page shows its own source list, not the 「来源」 text chat clients get
    body: JSON.stringify({ model: "gongbao", messages, stream: true, sources: false }),
    signal,
  });
  if (!response.ok) throw new Error(await errorMessage(response));
  let text = "";
  let final = null;
  for await (const data of sseData(response)) {
    if (data === "[DONE]") break;
    const chunk = JSON.parse(data);
    if (chunk.error) throw new Error(chunk.error.message || "服务在回答时出错");
    const choice = (chunk.choices && chunk.choices[0]) || {};
    if (choice.delta && choice.delta.content) {
      text += choice.delta.content;
      onText(text);
    }
    if (choice.finish_reason) final = chunk;
  }
  if (!final) throw new Error("回答没有完整接收，请重试");
  return { text, final };
}

/* ---------- the conversation ---------- */

/** Add a question and an (empty, streaming) answer to the log; returns the answer's parts. */
function addTurn(question) {
  $("welcome")?.remove();
  const answer = el("div", { class: "answer-text" });
  const status = el("p", { class: "status" }, "正在检索公报…");
  const message = el(
    "article",
    { class: "message assistant", "aria-busy": "true", dataset: { state: "streaming" } },
    el("h3", { class: "visually-hidden" }, "回答"),
    answer,
    status,
  );
  $("conversation").append(
    el("article", { class: "message user" }, el("h3", { class: "visually-hidden" }, "问题"), el("p", {}, question)),
    message,
  );
  scrollToLatest(true);
  return { message, answer, status };
}

/** Keep the newest text in view, unless the reader has scrolled up to read something else. */
function scrollToLatest(force = false) {
  const slack = 120;
  const atBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - slack;
  if (force || atBottom) $("ask-form").scrollIntoView({ block: "end" });
}

/**
 * Answer text with its [n] markers: a marker whose citation is known becomes a button that opens the
 * clause; while streaming (citations come with the last chunk) markers are shown but not yet clickable.
 */
function renderAnswer(container, text, citations = new Map()) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(CITE_MARKER)) {
    parts.push(text.slice(last, match.index));
    const citation = citations.get(Number(match[1]));
    parts.push(citation ? citeButton(citation) : el("span", { class: "cite pending" }, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  container.replaceChildren(...parts);
}

function citeButton(citation) {
  const label = `查看引用 ${citation.n}：${citation.doc_title}${citation.doc_number ? " " + citation.doc_number : ""}`;
  return el(
    "button",
    {
      type: "button",
      class: "cite",
      "aria-label": label,
      title: label,
      dataset: { chunkId: citation.chunk_id, n: String(citation.n) },
      onclick: (event) => openClause(citation.chunk_id, event.currentTarget),
    },
    `[${citation.n}]`,
  );
}

/** What each validity status is called on the page; `unknown` (the text says nothing) gets no badge. */
const STATUS_LABELS = {
  in_force: "现行有效",
  expired: "已失效",
  repealed: "已废止",
  not_yet_in_force: "尚未施行",
};

/** A badge with a document's validity status (from a citation, a hit or a document), or null when unknown. */
function statusBadge(item) {
  const label = STATUS_LABELS[item && item.status];
  if (!label) return null;
  const dates = [
    item.effective_from ? `自${item.effective_from}起施行` : null,
    item.expires_on ? `有效期至${item.expires_on}` : null,
  ]
    .filter(Boolean)
    .join("，");
  return el(
    "span",
    { class: `badge status status-${item.status.replace(/_/g, "-")}`, title: dates || label, dataset: { status: item.status } },
    label,
  );
}

/** One cited (or suggested) clause in a list under the answer; the whole entry opens the clause. */
function sourceItem(citation, { withQuote = false } = {}) {
  const path = sectionPath(citation.section);
  return el(
    "li",
    {},
    el(
      "button",
      {
        type: "button",
        class: "source",
        dataset: { chunkId: citation.chunk_id },
        onclick: (event) => openClause(citation.chunk_id, event.currentTarget),
      },
      citation.n ? el("span", { class: "source-n" }, `[${citation.n}]`) : null,
      el("span", { class: "source-title" }, citation.doc_title),
      statusBadge(citation),
      citation.doc_number ? el("span", { class: "doc-number" }, citation.doc_number) : null,
      path ? el("span", { class: "path" }, path) : null,
      withQuote && citation.quote ? el("span", { class: "quote" }, citation.quote) : null,
    ),
  );
}

function finishTurn(turn, text, final) {
  const citations = final.citations || [];
  const seeAlso = final.see_also || [];
  const byN = new Map(citations.map((c) => [c.n, c]));
  renderAnswer(turn.answer, text, byN);
  turn.status.remove();
  if (final.answerable === false) turn.message.classList.add("refused");
  if (citations.length) {
    turn.message.append(
      el(
        "section",
        { class: "sources", "aria-label": "引用来源" },
        el("h4", {}, "引用来源"),
        el("ol", {}, citations.map((c) => sourceItem(c))),
      ),
    );
  }
  if (final.answerable === false && seeAlso.length) {
    turn.message.append(
      el(
        "section",
        { class: "see-also", "aria-label": "相关条款" },
        el("h4", {}, "相关条款（可能有帮助）"),
        el("ul", {}, seeAlso.map((c) => sourceItem({ ...c, n: null }, { withQuote: true }))),
      ),
    );
  }
  turn.message.dataset.state = "done";
  turn.message.removeAttribute("aria-busy");
}

function failTurn(turn, message, stopped) {
  turn.status.remove();
  turn.message.append(el("p", { class: stopped ? "status" : "error", role: stopped ? null : "alert" }, message));
  turn.message.dataset.state = stopped ? "stopped" : "error";
  turn.message.removeAttribute("aria-busy");
}

function setBusy(busy) {
  const send = $("send");
  send.textContent = busy ? "停止" : "发送";
  send.classList.toggle("stop", busy);
  send.setAttribute("aria-label", busy ? "停止生成回答" : "发送问题");
}

async function ask(question) {
  const turn = addTurn(question);
  const messages = [...state.messages, { role: "user", content: question }];
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  try {
    const { text, final } = await streamAnswer(messages, controller.signal, (soFar) => {
      renderAnswer(turn.answer, soFar);
      turn.status.textContent = "正在生成回答…";
      scrollToLatest();
    });
    finishTurn(turn, text, final);
    // Only completed turns become history: a stopped or failed answer would mislead a follow-up.
    state.messages = [...messages, { role: "assistant", content: text }];
  } catch (error) {
    const stopped = error.name === "AbortError";
    failTurn(turn, stopped ? "已停止。" : `出错了：${error.message}`, stopped);
  } finally {
    if (state.controller === controller) state.controller = null;
    setBusy(Boolean(state.controller));
    scrollToLatest();
  }
}

function onSubmit(event) {
  event.preventDefault();
  if (state.controller) {
    // The send button doubles as "stop" while an answer streams.
    state.controller.abort();
    return;
  }
  const box = $("question");
  const question = box.value.trim();
  if (!question) {
    box.focus();
    return;
  }
  box.value = "";
  ask(question);
  box.focus();
}

function onQuestionKey(event) {
  // Enter sends, Shift+Enter is a new line. While an IME is composing (pinyin), Enter picks the
  // characters instead, so it must not send.
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    // While an answer streams, Enter keeps the next question in the box; only the 停止 button stops it.
    if (!state.controller) $("ask-form").requestSubmit();
  }
}

function newConversation() {
  state.controller?.abort();
  state.messages = [];
  $("conversation").replaceChildren(welcomeNode);
  $("question").focus();
}

/* ---------- the clause dialog ---------- */

let dialogOpener = null;

async function openClause(chunkId, opener) {
  const dialog = $("clause-dialog");
  const body = $("clause-body");
  dialogOpener = opener || document.activeElement;
  body.replaceChildren(el("p", { class: "status" }, "正在载入条款…"));
  if (!dialog.open) dialog.showModal();
  state.shownChunk = chunkId;
  try {
    if (!state.chunks.has(chunkId)) state.chunks.set(chunkId, await getJSON(API.chunk(chunkId)));
    // A slow reply must not overwrite a clause opened after it (or a dialog already closed).
    if (state.shownChunk === chunkId && dialog.open) renderClause(body, state.chunks.get(chunkId));
  } catch (error) {
    body.replaceChildren(el("p", { class: "error", role: "alert" }, `无法载入条款：${error.message}`));
  }
}

function renderClause(body, chunk) {
  const path = sectionPath(chunk.section);
  body.replaceChildren(
    el("h3", { class: "clause-doc" }, chunk.doc_title),
    el(
      "dl",
      { class: "meta" },
      el("dt", {}, "文号"),
      el("dd", { class: "doc-number" }, chunk.doc_number || "无文号"),
      el("dt", {}, "位置"),
      el("dd", { class: "path" }, path || "正文"),
    ),
    el("blockquote", { class: "clause-text" }, chunk.text),
    el(
      "button",
      {
        type: "button",
        class: "link-button",
        onclick: () => {
          closeClause();
          openDocument(chunk.doc_id, chunk.chunk_id);
        },
      },
      "在公报文件中查看全文 ›",
    ),
  );
}

function closeClause() {
  const dialog = $("clause-dialog");
  if (dialog.open) dialog.close();
}

function onClauseClosed() {
  // Give focus back to the [n] that opened the dialog, so keyboard readers keep their place.
  if (dialogOpener && document.contains(dialogOpener)) dialogOpener.focus();
  dialogOpener = null;
}

/* ---------- the document browser ---------- */

/** Show or hide the browser; resolves once the document list is there (fetched the first time). */
function setDocsOpen(open) {
  const docs = $("docs");
  docs.hidden = !open;
  document.body.classList.toggle("docs-open", open);
  $("toggle-docs").setAttribute("aria-expanded", String(open));
  if (open && !state.documentsLoading) state.documentsLoading = loadDocuments();
  return state.documentsLoading || Promise.resolve();
}

async function toggleDocs() {
  const opening = $("docs").hidden;
  const loaded = setDocsOpen(opening);
  if (!opening) return;
  await loaded; // the page can only scroll to the list once it is long enough to scroll
  // On a phone the browser sits below the chat: bring it into view, and take keyboard focus there.
  showDocsTop();
  $("docs-title").focus({ preventScroll: true });
}

async function loadDocuments() {
  const status = $("docs-status");
  status.textContent = "正在载入文件列表…";
  try {
    state.documents = (await getJSON(API.documents)).documents;
    status.textContent = "";
    renderDocumentList(state.documents);
  } catch (error) {
    status.textContent = `无法载入文件列表：${error.message}`;
    state.documentsLoading = null; // try again next time the browser opens
  }
}

/** Documents grouped by gazette issue, newest issue first; attachments (parent_id) indented under notices. */
function renderDocumentList(documents) {
  const groups = new Map();
  const labels = new Map();
  for (const doc of documents) {
    if (!groups.has(doc.gazette)) groups.set(doc.gazette, []);
    groups.get(doc.gazette).push(doc);
    labels.set(doc.gazette, doc.issue); // the issue as printed, e.g. 2021年第23期（总第515期）
  }
  const keys = [...groups.keys()].sort().reverse();
  $("docs-list").replaceChildren(
    ...keys.map((key) =>
      el(
        "details",
        { class: "gazette", open: true },
        el("summary", {}, labels.get(key), el("span", { class: "count" }, `${groups.get(key).length} 件`)),
        el("ul", { class: "doc-list" }, groups.get(key).map(documentItem)),
      ),
    ),
  );
}

function documentItem(doc) {
  const meta = [doc.doc_number, doc.signed, `${doc.chunks} 条`].filter(Boolean).join(" · ");
  return el(
    "li",
    { class: doc.parent_id ? "attachment" : null },
    el(
      "button",
      {
        type: "button",
        class: "doc-link",
        dataset: { docId: doc.doc_id },
        onclick: () => openDocument(doc.doc_id),
      },
      doc.parent_id ? el("span", { class: "badge" }, "附件") : null,
      statusBadge(doc),
      el("span", { class: "doc-title" }, doc.title),
      el("span", { class: "meta-line" }, meta),
    ),
  );
}

/** Show one document with all its clauses; `highlight` is a chunk_id to scroll to (from a citation). */
async function openDocument(docId, highlight = null) {
  const listed = setDocsOpen(true); // its list names the attachments shown under a notice
  state.openDocId = docId;
  const detail = $("doc-detail");
  if (!$("docs-list").hidden) state.listScroll = $("docs").scrollTop;
  $("docs-list").hidden = true;
  $("docs-back").hidden = false;
  detail.hidden = false;
  detail.replaceChildren(el("p", { class: "status" }, "正在载入文件…"));
  try {
    const [doc] = await Promise.all([getJSON(API.document(docId)), listed]);
    if (state.openDocId !== docId) return; // another document was opened meanwhile
    renderDocument(detail, doc, highlight);
  } catch (error) {
    detail.replaceChildren(el("p", { class: "error", role: "alert" }, `无法载入文件：${error.message}`));
  }
  const target = highlight && document.getElementById(`clause-${highlight}`);
  if (target) target.scrollIntoView({ block: "center" });
  else showDocsTop();
  detail.focus({ preventScroll: true });
}

/**
 * Show the top of the browser (heading, back button). On a wide screen it is a sticky panel that scrolls on
 * its own; on a phone it sits below the chat, so the page scrolls to it when it is out of view.
 */
function showDocsTop() {
  const docs = $("docs");
  docs.scrollTop = 0;
  const top = docs.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight / 2) docs.scrollIntoView({ block: "start" });
}

function renderDocument(detail, doc, highlight) {
  const facts = [
    ["文号", doc.doc_number],
    ["类型", doc.doc_type],
    ["公报", doc.issue],
    ["成文日期", doc.signed],
    ["施行日期", doc.effective_from],
    ["有效期至", doc.expires_on],
    ["发文机关", doc.issuer],
    ["所属通知", doc.parent_title],
  ].filter(([, value]) => value);
  const parts = [
    el("h3", { class: "doc-heading" }, doc.title),
    statusBadge(doc) ? el("p", { class: "doc-status" }, "效力：", statusBadge(doc)) : null,
    el("dl", { class: "meta" }, facts.map(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])),
    doc.parent_id
      ? el("button", { type: "button", class: "link-button", onclick: () => openDocument(doc.parent_id) }, "查看所属通知 ›")
      : null,
    attachmentLinks(doc.doc_id),
    el(
      "ol",
      { class: "clauses", "aria-label": "条款" },
      doc.clauses.map((clause) => clauseItem(clause, clause.chunk_id === highlight)),
    ),
  ];
  detail.replaceChildren(...parts.filter(Boolean)); // replaceChildren would print a null as "null"
}

/** A notice's own text is often one sentence; what it issued (its attachments) is one click away. */
function attachmentLinks(docId) {
  const attachments = (state.documents || []).filter((d) => d.parent_id === docId);
  if (!attachments.length) return null;
  return el(
    "ul",
    { class: "attachments", "aria-label": "附件" },
    attachments.map((d) =>
      el(
        "li",
        {},
        el("button", { type: "button", class: "link-button", onclick: () => openDocument(d.doc_id) }, `附件：${d.title} ›`),
      ),
    ),
  );
}

function clauseItem(clause, highlighted) {
  const path = sectionPath(clause.section);
  return el(
    "li",
    { id: `clause-${clause.chunk_id}`, class: highlighted ? "clause highlight" : "clause" },
    path ? el("p", { class: "path" }, path) : null,
    el("p", { class: "clause-text" }, clause.text),
  );
}

function backToList() {
  $("doc-detail").hidden = true;
  $("docs-back").hidden = true;
  $("docs-list").hidden = false;
  $("docs").scrollTop = state.listScroll;
  // Back where the reader left the list: on the document they had opened.
  const opened = document.querySelector(`.doc-link[data-doc-id="${CSS.escape(state.openDocId || "")}"]`);
  if (opened) opened.focus();
  else $("docs-title").focus();
}

/* ---------- wiring ---------- */

let welcomeNode = null;

function init() {
  welcomeNode = $("welcome");
  $("ask-form").addEventListener("submit", onSubmit);
  $("question").addEventListener("keydown", onQuestionKey);
  $("new-chat").addEventListener("click", newConversation);
  $("toggle-docs").addEventListener("click", toggleDocs);
  $("docs-back").addEventListener("click", backToList);
  $("clause-close").addEventListener("click", closeClause);
  const dialog = $("clause-dialog");
  dialog.addEventListener("close", onClauseClosed);
  // A click on the backdrop (outside the dialog's box) closes it, as people expect of a popup.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) closeClause();
  });
  $("conversation").addEventListener("click", (event) => {
    const example = event.target.closest("button.example");
    if (!example) return;
    $("question").value = example.textContent;
    $("ask-form").requestSubmit();
  });
}

init();
