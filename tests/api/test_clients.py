"""What clients see (reliability issue, defect 7): usage is counted, n>1 is refused, the answer text names its
sources for clients that drop `citations`, and the command line refuses empty input, looks citations up and
prints whole lines when piped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from typer.testing import CliRunner

import rag
from api.app import create_app
from api.cli import app as cli
from api.settings import HttpSettings
from index.store import Manifest
from rag.settings import get_settings
from tests.conftest import CORPUS_DIR
from tests.helpers import error_message as _error
from tests.servers import running

QUESTION = "2022年助企纾困十条里稳岗返还比例提高到多少？"
runner = CliRunner()


@pytest.fixture()
def sdk(base_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=f"{base_url}/v1", api_key="unused", max_retries=0) as client:
        yield client


def _user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def test_usage_counts_characters(sdk: openai.OpenAI) -> None:
    completion = sdk.chat.completions.create(model="gongbao", messages=_user(QUESTION))  # type: ignore[arg-type]
    usage = completion.usage
    content = completion.choices[0].message.content or ""
    assert usage is not None and usage.prompt_tokens == len(QUESTION)
    assert usage.completion_tokens == len(content) and usage.total_tokens == len(QUESTION) + len(content)


def test_more_than_one_answer_is_refused(client: httpx.Client) -> None:
    body = {"model": "gongbao", "messages": _user(QUESTION), "n": 2}
    assert "n=2" in _error(client.post("/v1/chat/completions", json=body), 422)
    assert client.post("/v1/chat/completions", json={**body, "n": 1}).status_code == 200


def test_the_answer_text_lists_its_sources(sdk: openai.OpenAI) -> None:
    completion = sdk.chat.completions.create(model="gongbao", messages=_user(QUESTION))  # type: ignore[arg-type]
    content = completion.choices[0].message.content or ""
    answer, _, sources = content.partition("\n\n来源：\n")
    citations = (completion.model_extra or {})["citations"]
    assert "90%" in answer and "[1]" in answer
    lines = sources.splitlines()
    assert len(lines) == len(citations) and lines[0].startswith(f"[1] {citations[0]['doc_number']} 《")
    assert citations[0]["section"][-1] in lines[0]


def test_streamed_sources_and_usage(sdk: openai.OpenAI) -> None:
    stream = sdk.chat.completions.create(
        model="gongbao",
        messages=_user(QUESTION),  # type: ignore[arg-type]
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "\n\n来源：\n[1] 青政办〔2022〕30号" in text
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == len(text)


def test_langchain_chat_openai_shows_the_sources(base_url: str) -> None:
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(base_url=f"{base_url}/v1", api_key="unused", model="gongbao", max_retries=0)  # type: ignore[arg-type]
    reply = model.invoke(QUESTION)
    assert "来源：" in str(reply.content) and "青政办〔2022〕30号" in str(reply.content)


def test_sources_can_be_turned_off(service: rag.Gongbao, client: httpx.Client) -> None:
    body = {"model": "gongbao", "messages": _user(QUESTION)}
    off = client.post("/v1/chat/completions", json={**body, "sources": False}).json()
    assert "来源" not in off["choices"][0]["message"]["content"] and off["citations"]
    with running(create_app(service, http=HttpSettings(chat_sources=False))) as url:
        content = httpx.post(f"{url}/v1/chat/completions", json=body, timeout=60).json()["choices"][0]["message"]
        assert "来源" not in content["content"]


# ---------- the command line ----------


@pytest.fixture()
def env(built: tuple[Path, Manifest], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GONGBAO_CORPUS_DIR", str(CORPUS_DIR))
    monkeypatch.setenv("GONGBAO_INDEX_DIR", str(built[0]))
    monkeypatch.delenv("GONGBAO_LLM_BASE_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize("question", ["", "   "])
def test_ask_refuses_an_empty_question(question: str) -> None:
    result = runner.invoke(cli, ["ask", question])
    assert result.exit_code == 2 and "empty" in result.output


@pytest.mark.usefixtures("env")
def test_cite_prints_the_clause() -> None:
    result = runner.invoke(cli, ["cite", "青政办〔2020〕64号第八条"])
    assert result.exit_code == 0, result.output
    assert "第八条" in result.output and "及时足额办理基建项目资金拨付" in result.output
    as_json = json.loads(runner.invoke(cli, ["cite", "助企纾困十条第三条", "--json"]).stdout)
    assert as_json["doc_number"] == "青政办〔2022〕30号" and as_json["clauses"]
    assert runner.invoke(cli, ["cite", "青政办〔2019〕1号"]).exit_code == 1
    assert runner.invoke(cli, ["cite", " "]).exit_code == 2


@pytest.mark.usefixtures("env")
def test_piped_output_is_not_wrapped(service: rag.Gongbao) -> None:
    """CliRunner's output is not a terminal: every line of the answer must come out whole."""
    question = "2022年助企纾困十条对小型微利企业所得税有什么优惠？"  # answered by sentences over 80 characters
    result = runner.invoke(cli, ["ask", question])
    assert result.exit_code == 0
    answer = service.ask(question).text
    assert max(len(line) for line in answer.splitlines()) > 80  # long enough to have been wrapped
    for line in answer.splitlines():
        assert line in result.output.splitlines()
