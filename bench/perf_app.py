"""The LangChain-default pipeline behind the same two routes as gongbao, for `bench.perf`'s side-by-side run.

    python -m bench.perf_app --port 8001

500/50 RecursiveCharacterTextSplitter chunks of the raw corpus files, the embedder gongbao is configured with, a
flat FAISS inner-product index (eval.runner.LangChainDefault, the eval's baseline), served by uvicorn with the
request and response shapes of gongbao's `POST /v1/search` and `POST /v1/ask` (api.schemas). Its ask is the
extractive answer over its top ANSWER_K chunks, as in the eval; its hits have no 文号 and no heading path.
"""

from __future__ import annotations

import argparse
import time

import uvicorn
from fastapi import FastAPI

from api.schemas import AskRequest, AskResponse, SearchRequest, SearchResponse
from eval.runner import LangChainDefault
from index.embedders import make_embedder
from rag import ANSWER_K, extractive_answer, get_settings


def make_app() -> FastAPI:
    """Build the baseline (embeds every chunk once) and the app serving it."""
    settings = get_settings()
    embedder = make_embedder(settings.embed_model)
    baseline = LangChainDefault(settings.corpus_dir, embedder.encode_queries, embedder.encode_passages)
    app = FastAPI(title="langchain-default")

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "chunks": len(baseline.texts)}

    # Plain `def` routes, like gongbao's: both run in the same uvicorn thread pool.
    @app.post("/v1/search", response_model=SearchResponse)
    def search(body: SearchRequest) -> SearchResponse:
        hits = baseline.hits(body.query)[: body.k]
        return SearchResponse.of(hits)

    @app.post("/v1/ask", response_model=AskResponse)
    def ask(body: AskRequest) -> AskResponse:
        started = time.perf_counter()
        answer = extractive_answer(body.question, baseline.hits(body.question)[:ANSWER_K])
        return AskResponse.of(answer, (time.perf_counter() - started) * 1000)

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--host", choices=["127.0.0.1"], default="127.0.0.1", help="loopback only: a fixture")
    args = parser.parse_args(argv)
    uvicorn.run(make_app(), host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
