"""The web chat page at `/` in a real headless Chromium, against the real service (issue #7).

The first test asks the real question and follows a citation into the clause and its document; the second
replaces the chat endpoint with fabricated streams to check what the real corpus cannot provoke on demand:
hostile text stays text, a refusal lists its "see also" clauses, follow-ups carry the conversation, errors show.
Screenshots go to a temporary folder; `make screenshots` writes them to reports/ (web_page.png,
web_page_documents.png, web_page_phone.png).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
QUESTION = "2022年助企纾困十条里稳岗返还比例提高到多少？"
# What the service cites for QUESTION (observed from GET /v1/chunks/{id} of its [1]).
CITED_TITLE = "青海省助企纾困和支持市场主体发展十条措施"
CITED_NUMBER = "青政办〔2022〕30号"
CITED_SECTION = "一、援企稳岗"
ANSWER_TIMEOUT_MS = 15_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no system Chromium at {CHROMIUM} to drive the page with"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (no browser download)."""
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop-sized page that fails the test on any uncaught script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield new_page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def _ask(page: Page, question: str) -> None:
    """Type a question and send it with Enter, the way a user does."""
    page.get_by_label("你的问题").fill(question)
    page.get_by_label("你的问题").press("Enter")


def _wait_answers(page: Page, count: int) -> None:
    """Wait until `count` answers have finished streaming (or failed)."""
    page.wait_for_function(
        "n => document.querySelectorAll('.message.assistant:not([data-state=streaming])').length >= n",
        arg=count,
        timeout=ANSWER_TIMEOUT_MS,
    )


def _no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways at {page.viewport_size}: {widths}"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: a temporary folder, or $GONGBAO_SCREENSHOT_DIR (`make screenshots` uses reports/)."""
    folder = Path(os.environ.get("GONGBAO_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_page_answers_with_clickable_citations_and_browses_documents(page: Page, base_url: str, shots: Path) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_title("青海省人民政府公报 · 问答")
    expect(page.get_by_role("heading", name="公报问答")).to_be_visible()

    _ask(page, QUESTION)
    _wait_answers(page, 1)
    answer = page.locator(".message.assistant").first
    expect(answer).to_have_attribute("data-state", "done")
    expect(answer.locator(".answer-text")).to_contain_text("90%")
    # The direct opening sentence and the quote that supports it both cite [1]: every [1] opens the same clause.
    markers = answer.locator(".answer-text button.cite", has_text="[1]")
    assert len({markers.nth(i).get_attribute("data-chunk-id") for i in range(markers.count())}) == 1
    marker = markers.first
    expect(marker).to_be_visible()
    expect(answer.locator(".sources")).to_contain_text(CITED_NUMBER)

    # The marker opens the clause it cites: document title, 文号, heading path and the full clause text.
    chunk = httpx.get(f"{base_url}/v1/chunks/{marker.get_attribute('data-chunk-id')}", timeout=10).json()
    assert (chunk["doc_title"], chunk["doc_number"], chunk["section"]) == (CITED_TITLE, CITED_NUMBER, [CITED_SECTION])
    marker.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".clause-doc")).to_have_text(CITED_TITLE)
    expect(dialog.locator(".doc-number")).to_have_text(CITED_NUMBER)
    expect(dialog.locator(".path")).to_have_text(" › ".join(chunk["section"]))
    expect(dialog.locator(".clause-text")).to_have_text(chunk["text"])
    assert "60%提高至90%" in chunk["text"]
    page.screenshot(path=shots / "web_page.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(marker).to_be_focused()  # keyboard users are returned to where they were

    # The document browser: every document, grouped by gazette issue; a document shows its clauses.
    documents = httpx.get(f"{base_url}/v1/documents", timeout=10).json()["documents"]
    page.get_by_role("button", name="公报文件").click()
    expect(page.get_by_role("button", name="公报文件")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#docs-list .doc-link")).to_have_count(len(documents))
    expect(page.locator("#docs-list details.gazette")).to_have_count(len({d["gazette"] for d in documents}))
    expect(page.locator("#docs-list summary", has_text="2022年第9期")).to_be_visible()

    detail = httpx.get(f"{base_url}/v1/documents/{chunk['doc_id']}", timeout=10).json()
    page.locator(f".doc-link[data-doc-id='{chunk['doc_id']}']").click()
    clauses = page.locator("#doc-detail .clause")
    expect(clauses).to_have_count(len(detail["clauses"]))
    expect(page.locator("#doc-detail .doc-heading")).to_have_text(CITED_TITLE)
    expect(page.locator(f"#clause-{chunk['chunk_id']} .path")).to_have_text(CITED_SECTION)
    expect(page.locator(f"#clause-{chunk['chunk_id']} .clause-text")).to_have_text(chunk["text"])
    page.screenshot(path=shots / "web_page_documents.png")

    # Phone width: nothing scrolls sideways, and the browser stacks under the chat instead of beside it.
    page.set_viewport_size({"width": 375, "height": 800})
    _no_horizontal_scroll(page)
    chat_box = page.locator("main.chat").bounding_box()
    docs_box = page.locator("#docs").bounding_box()
    assert chat_box and docs_box and docs_box["y"] >= chat_box["y"] + chat_box["height"]
    page.get_by_role("button", name="‹ 返回文件列表").click()
    _no_horizontal_scroll(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=shots / "web_page_phone.png")


def test_page_shows_validity_badges_on_citations_and_in_the_document_browser(
    page: Page, base_url: str, shots: Path
) -> None:
    """The measures QUESTION is answered from expired on 2022-12-31: the answer says so, each of its sources carries
    an 「已失效」 badge, and the document browser badges every document whose status the text states."""
    page.goto(f"{base_url}/")
    _ask(page, QUESTION)
    _wait_answers(page, 1)
    answer = page.locator(".message.assistant").first
    expect(answer.locator(".answer-text")).to_contain_text("已失效")
    sources = answer.locator(".sources li")
    expect(sources.first).to_be_visible()
    assert sources.count() >= 2  # the quoted clause and the clause that sets the expiry
    for i in range(sources.count()):
        expect(sources.nth(i).locator(".badge.status")).to_have_text("已失效")
    expect(sources.last).to_contain_text("十、优化服务")  # 「本措施自印发之日起施行,有效期至2022年12月31日」
    page.screenshot(path=shots / "web_page_validity.png")

    documents = httpx.get(f"{base_url}/v1/documents", timeout=10).json()["documents"]
    labels = {"in_force": "现行有效", "expired": "已失效", "repealed": "已废止", "not_yet_in_force": "尚未施行"}
    page.get_by_role("button", name="公报文件").click()
    badges = page.locator("#docs-list .doc-link .badge.status")
    stated = [d for d in documents if d["status"] in labels]
    assert stated and len(stated) < len(documents)  # unknown (the text says nothing) gets no badge
    expect(badges).to_have_count(len(stated))
    for d in stated:
        expect(page.locator(f".doc-link[data-doc-id='{d['doc_id']}'] .badge.status")).to_have_text(labels[d["status"]])
    expired = next(d for d in stated if d["status"] == "expired")
    page.locator(f".doc-link[data-doc-id='{expired['doc_id']}']").click()
    expect(page.locator("#doc-detail .doc-status .badge.status")).to_have_text("已失效")
    expect(page.locator("#doc-detail .meta")).to_contain_text(expired["expires_on"])
    page.screenshot(path=shots / "web_page_validity_documents.png")


def _sse(*events: dict[str, Any]) -> str:
    """A server-sent event stream (CRLF line ends, which the page must accept too) ending in [DONE]."""
    lines = [f"data: {json.dumps(e, ensure_ascii=False)}\r\n\r\n" for e in events]
    return "".join([*lines, "data: [DONE]\r\n\r\n"])


def _piece(text: str) -> dict[str, Any]:
    return {"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": text}}]}


def _final(**fields: Any) -> dict[str, Any]:
    choice = {"index": 0, "delta": {}, "finish_reason": "stop"}
    return {"object": "chat.completion.chunk", "choices": [choice], **fields}


HOSTILE = '<img src=x onerror="window.pwned=1">'
FAKE_CITATION = {
    "n": 1,
    "chunk_id": "fake-chunk",
    "doc_title": "<b>测试文件</b>",
    "doc_number": "青政〔2099〕1号",
    "section": ["第一章 <i>总则</i>", "第一条"],
    "quote": HOSTILE,
}
FAKE_CHUNK = {
    "chunk_id": "fake-chunk",
    "doc_id": "fake-doc",
    "doc_title": "<b>测试文件</b>",
    "doc_number": "青政〔2099〕1号",
    "kind": "clause",
    "section": ["第一章 <i>总则</i>", "第一条"],
    "text": "<script>window.pwned=1</script>条款正文",
    "source": {"file": "x.txt", "line_start": 1, "line_end": 1},
}


def test_page_escapes_text_shows_see_also_keeps_conversation_and_errors(page: Page, base_url: str) -> None:
    streams = [
        # An answer whose [1] marker arrives split over two events, with markup in every field.
        _sse(_piece(f"答复{HOSTILE}，比例为90%["), _piece("1]。"), _final(citations=[FAKE_CITATION], answerable=True)),
        # A refusal: no citations, nearby clauses as see_also.
        _sse(_piece("现有公报中未找到能回答这个问题的条款。"), _final(see_also=[FAKE_CITATION], answerable=False)),
    ]
    sent: list[dict[str, Any]] = []

    def chat(route: Route, request: Request) -> None:
        sent.append(request.post_data_json)
        if not streams:
            error = {"error": {"code": "invalid_request", "message": "问题过长（测试）"}}
            route.fulfill(status=422, json=error)
            return
        route.fulfill(status=200, headers={"Content-Type": "text/event-stream"}, body=streams.pop(0))

    page.route("**/v1/chat/completions", chat)
    page.route("**/v1/chunks/fake-chunk", lambda route: route.fulfill(json=FAKE_CHUNK))
    page.goto(f"{base_url}/")

    _ask(page, "第一个问题")
    _wait_answers(page, 1)
    first = page.locator(".message.assistant").nth(0)
    expect(first.locator(".answer-text")).to_have_text(f"答复{HOSTILE}，比例为90%[1]。")
    expect(first.locator(".sources")).to_contain_text("<b>测试文件</b>")
    first.locator("button.cite", has_text="[1]").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".clause-text")).to_have_text(FAKE_CHUNK["text"])
    expect(dialog.locator(".path")).to_have_text("第一章 <i>总则</i> › 第一条")
    page.keyboard.press("Escape")
    assert page.locator(".message img, .message b, dialog script, dialog i").count() == 0
    assert page.evaluate("window.pwned") is None

    # The follow-up is sent with the whole conversation so far.
    _ask(page, "那第二个呢？")
    _wait_answers(page, 2)
    assert sent[1]["model"] == "gongbao" and sent[1]["stream"] is True
    assert [m["role"] for m in sent[1]["messages"]] == ["user", "assistant", "user"]
    assert sent[1]["messages"][1]["content"] == f"答复{HOSTILE}，比例为90%[1]。"
    refusal = page.locator(".message.assistant").nth(1)
    expect(refusal).to_have_class("message assistant refused")
    expect(refusal.locator(".see-also")).to_contain_text("青政〔2099〕1号")
    expect(refusal.locator(".see-also")).to_contain_text(HOSTILE)

    # A refused request shows the service's own message.
    _ask(page, "第三个问题")
    _wait_answers(page, 3)
    expect(page.locator(".message.assistant").nth(2).get_by_role("alert")).to_contain_text("问题过长（测试）")
