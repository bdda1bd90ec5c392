"""Shared test helpers (import from here, not from another test module)."""

from __future__ import annotations

import hashlib

import httpx
import numpy as np

from index.embedders import Embedder, l2_normalise
from index.models import ChunkKind, Corpus, SourceSpan
from index.parser import parse_text
from rag.models import Hit


def make_hit(
    text: str,
    section: list[str] | None = None,
    *,
    doc_title: str = "青海省测试实施方案",
    doc_number: str | None = "青政办〔2022〕1号",
    kind: ChunkKind = "clause",
    rank: int = 1,
    line: int = 1,
    chunk_id: str | None = None,
) -> Hit:
    """A hand-built hit (no index needed): for fast tests of the question and evidence models and the composer."""
    return Hit(
        rank=rank,
        score=1.0,
        chunk_id=chunk_id or f"test-{rank}-{line}",
        doc_id="test-doc",
        doc_title=doc_title,
        doc_number=doc_number,
        section=section or [],
        text=text,
        source=SourceSpan(file="test.txt", line_start=line, line_end=line),
        kind=kind,
    )


# ---------- made-up gazettes (validity rules the bundled corpus has no example of) ----------

_COVER = "青海省人民政府公报\n\n青海省人民政府办公厅 {d} 第{n}期（总第{t}期）\n\n主办：青海省人民政府办公厅\n\n"


def made_up_gazette(issue: int, published: str, *docs: str) -> str:
    """The text of a made-up gazette issue: its cover, then the documents."""
    return _COVER.format(d=published, n=issue, t=600 + issue) + "\n\n".join(docs)


def made_up_notice(title: str, number: str, body: str, signed: str, attachment: str = "") -> str:
    """A made-up notice of the provincial government office, with an optional attached document."""
    to = "各市、自治州人民政府，省政府各委、办、厅、局："
    text = f"{title}\n\n{number}\n\n{to}\n\n{body}\n\n青海省人民政府办公厅\n\n{signed}\n"
    return text + ("\n" + attachment if attachment else "")


BANFA = """测试资金管理办法

第一章 总则

第一条 为规范资金管理，制定本办法。

第二条 依照本办法第一条的规定执行。资金按月拨付。

前款所称资金，是指财政资金。

第二章 附则

第三条 违反第二条规定的，依照本章处理。

第四条 本办法自2024年4月1日起施行，有效期3年。《青海省人民政府办公厅关于印发旧资金管理办法的通知》\
（青政办〔2019〕7号）同时废止。
"""


def corpus_of(*texts: str) -> Corpus:
    """A corpus parsed from gazette texts (file names 000.txt, 001.txt, …)."""
    return Corpus(gazettes=[parse_text(t, f"{n:03d}.txt") for n, t in enumerate(texts)])


def banfa_corpus() -> Corpus:
    """Two made-up issues: an old 办法 and a new one that repeals it and references its own clauses."""
    old = made_up_gazette(
        5,
        "2019年2月28日",
        made_up_notice(
            "青海省人民政府办公厅关于印发旧资金管理办法的通知",
            "青政办〔2019〕7号",
            "现将《旧资金管理办法》印发给你们。本通知自印发之日起施行。",
            "2019年2月1日",
        ),
    )
    new = made_up_gazette(
        3,
        "2024年3月30日",
        made_up_notice(
            "青海省人民政府办公厅关于印发测试资金管理办法的通知",
            "青政办〔2024〕5号",
            "现将《测试资金管理办法》印发给你们，请认真贯彻执行。",
            "2024年3月1日",
            BANFA,
        ),
    )
    return corpus_of(old, new)


# ---------- HTTP ----------

ADMIN_KEY = "s3cret-admin-key"
UPLOADED_ISSUE = "001_a2741b667bdfe332.txt"  # the 2022 issue holding 助企纾困十条 (青政办〔2022〕30号)
UPLOAD_QUESTION = "2022年助企纾困十条里稳岗返还比例提高到多少？"  # answered from that issue only


def upload(client: httpx.Client, data: bytes, name: str = "2022-09.txt", **params: str) -> httpx.Response:
    """POST a gazette file to the admin upload route (the client carries the key, or not)."""
    return client.post("/v1/documents", files={"file": (name, data, "text/plain")}, params=params)


def cited_numbers(client: httpx.Client) -> set[str | None]:
    """The 文号 cited by the answer to UPLOAD_QUESTION."""
    body = client.post("/v1/ask", json={"question": UPLOAD_QUESTION}).json()
    return {c["doc_number"] for c in body["citations"]}


def error_message(resp: httpx.Response, status: int) -> str:
    """The message of a JSON error response, after checking its status and shape ({"error": {code, message}})."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return str(body["error"]["message"])


class HashEmbedder(Embedder):
    """A fast stand-in model: a text's vector comes from its hash. Can be told to fail after some passages."""

    name = "hash-16"
    dims = 16

    def __init__(self, fail_after: int | None = None) -> None:
        self.fail_after = fail_after
        self.passages: list[str] = []

    def _vec(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:4], "little")
        return np.random.default_rng(seed).standard_normal(self.dims).astype(np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return l2_normalise(np.stack([self._vec(t) for t in texts]))

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        if self.fail_after is not None and len(self.passages) + len(texts) > self.fail_after:
            raise KeyboardInterrupt("interrupted")
        self.passages.extend(texts)
        return self.encode_queries(texts)
