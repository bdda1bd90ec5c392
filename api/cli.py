"""The `gongbao` command line: parse, show, build, ingest, search, ask, serve, eval and the corpus report."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from index.errors import GongbaoError
from index.models import Corpus
from index.parser import corpus_files, parse_corpus
from index.store import IndexDirError, IndexMismatchError
from rag.settings import Settings, get_settings

if TYPE_CHECKING:
    from index.lookup import LookupResult
    from rag import Gongbao

app = typer.Typer(
    help="gongbao: cited question answering over 青海省人民政府公报 (Qinghai government gazettes).",
    no_args_is_help=True,
    add_completion=False,
)
# Piped output is not wrapped at 80 columns (a number split across lines breaks `grep` and copy-paste): rich
# wraps text only for a terminal, at its width; a pipe or file gets whole lines (soft_wrap) and wide tables.
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
PIPE_WIDTH = 400


def _settings() -> Settings:
    """The GONGBAO_* settings, or a plain error message and exit code 2 when they are invalid."""
    try:
        return get_settings()
    except ValidationError as exc:
        for problem in exc.errors():
            err.print(f"[red]Invalid settings:[/red] {problem['msg'].removeprefix('Value error, ')}")
        raise typer.Exit(2) from exc


@contextmanager
def _index_errors() -> Iterator[None]:
    """An index folder that may not be touched, or one built with another model: a clear message, exit code 2."""
    try:
        yield
    except (IndexDirError, IndexMismatchError) as exc:
        err.print(f"[red]Index error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _service() -> Gongbao:
    """The loaded service (rag.load), building the index first when needed."""
    import rag

    with _index_errors():
        return rag.load(_settings())


def _found(result: LookupResult | None, ref: str) -> LookupResult:
    """The lookup's result, or exit 1 saying what was not found (no document, or no such clause in it)."""
    if result is None:
        err.print(f"[red]Not found:[/red] no document matches {ref!r}")
        raise typer.Exit(1)
    if not result.chunks:
        err.print(f"[red]Not found:[/red] {result.document.title} has no clause {result.clause!r}")
        raise typer.Exit(1)
    return result


def _corpus_files(corpus_dir: Path | None) -> tuple[Path, list[Path]]:
    """The corpus folder and its gazette files, or a plain error message and exit code 2."""
    directory = corpus_dir or _settings().corpus_dir
    if not directory.is_dir():
        err.print(f"[red]Corpus directory not found:[/red] {directory}")
        raise typer.Exit(2)
    files = corpus_files(directory)
    if not files:
        err.print(f"[red]No gazette files (.txt, .md, .pdf, .docx, .html) in[/red] {directory}")
        raise typer.Exit(2)
    return directory, files


def _load_corpus(corpus_dir: Path | None) -> Corpus:
    directory, files = _corpus_files(corpus_dir)
    with console.status(f"Parsing {len(files)} gazette files…"):
        corpus = parse_corpus(directory, files, get_settings().read_options())
    for problem in corpus.problems:
        err.print(f"[yellow]skipped {problem.file}:[/yellow] {problem.message}")
    return corpus


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug details.")] = False,
) -> None:
    from api.logs import configure

    configure("DEBUG" if verbose else _settings().log_level)
    for out in (console, err):
        if not out.is_terminal:
            out.width = PIPE_WIDTH  # tables too: cells are not wrapped at 80 columns when piped


@app.command()
def parse(
    corpus_dir: Annotated[
        Path | None, typer.Argument(help="Directory of gazette .txt files (default: GONGBAO_CORPUS_DIR).")
    ] = None,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="Write one chunk per line to this file.")] = None,
) -> None:
    """Parse gazettes into documents and clause chunks; print a summary table or write JSONL."""
    corpus = _load_corpus(corpus_dir)
    docs = {d.doc_id: d for d in corpus.documents}
    if jsonl:
        with jsonl.open("w", encoding="utf-8") as fh:
            for chunk in corpus.chunks:
                doc = docs[chunk.doc_id]
                row = {
                    "chunk_id": chunk.chunk_id,
                    "doc_id": doc.doc_id,
                    "doc_title": doc.title,
                    "doc_number": doc.doc_number,
                    "doc_type": doc.doc_type,
                    "kind": chunk.kind,
                    "section": chunk.section,
                    "text": chunk.text,
                    "source": chunk.source.model_dump(),
                }
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        console.print(f"Wrote {len(corpus.chunks)} chunks to {jsonl}")
        return
    table = Table(title="Parsed gazettes")
    for col in ("issue", "file", "document", "文号", "type", "chunks"):
        table.add_column(col)
    per_doc = Counter(c.doc_id for c in corpus.chunks)
    for g in corpus.gazettes:
        for n, d in enumerate(g.documents):
            table.add_row(
                g.gazette.label if n == 0 else "",
                g.gazette.source_file if n == 0 else "",
                ("  └ " if d.parent_id else "") + d.title,
                d.doc_number or "—",
                d.doc_type,
                str(per_doc[d.doc_id]),
            )
    console.print(table)
    console.print(
        f"{len(corpus.gazettes)} gazettes, {len(corpus.documents)} documents, {len(corpus.chunks)} chunks"
        + (f", {len(corpus.problems)} files skipped" if corpus.problems else "")
    )


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help="A 文号 or document title, e.g. 青政办〔2020〕64号.")],
    clause: Annotated[str | None, typer.Argument(help="Optional clause, e.g. 第八条 or 二、 or （三）.")] = None,
    corpus_dir: Annotated[Path | None, typer.Option("--corpus", help="Corpus directory.")] = None,
) -> None:
    """Print a document (its clauses) or one clause, given a 文号 or title and an optional clause.

    The served corpus (withdrawn documents left out) and the service's citation lookup, with no index loaded.
    """
    import rag

    settings = _settings()
    directory, files = _corpus_files(corpus_dir)
    with _index_errors(), console.status(f"Reading {len(files)} gazette files…"):
        corpus, _ = rag.read_corpus(settings.model_copy(update={"corpus_dir": directory}), files)
    for problem in corpus.problems:
        err.print(f"[yellow]skipped {problem.file}:[/yellow] {problem.message}")
    result = _found(rag.cite(corpus, ref + (clause or "")), ref)
    doc = result.document
    console.print(f"[bold]{doc.title}[/bold]  {doc.doc_number or ''}  ({doc.doc_type})")
    for chunk in result.chunks:
        console.print(
            f"\n[cyan]{' › '.join(chunk.section) or '（正文）'}[/cyan]  [dim]{chunk.source.file}:"
            f"{chunk.source.line_start}-{chunk.source.line_end}[/dim]"
        )
        console.print(chunk.text)


@app.command("report-corpus")
def report_corpus(
    corpus_dir: Annotated[Path | None, typer.Argument(help="Corpus directory (default: GONGBAO_CORPUS_DIR).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Report file to write.")] = Path("reports/corpus.md"),
) -> None:
    """Write the corpus report (documents per gazette, chunks per type, length distribution)."""
    from eval.corpus_report import write

    console.print(f"Wrote {write(_load_corpus(corpus_dir), out)}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the configured corpus over HTTP (API docs at /docs)."""
    import uvicorn

    import rag
    from api.app import create_app
    from api.server import uvicorn_config
    from api.settings import get_http_settings
    from index.store import check_index_dir

    settings = _settings()
    with _index_errors():
        check_index_dir(settings.index_dir)  # fail now, not after the server started listening
    console.print(
        f"Serving on http://{host}:{port}  (API docs: /docs). Loading the index in the background: /healthz says "
        "when it is ready (503 until then), /livez answers at once."
    )
    http = get_http_settings()
    # With Milvus, the replica holding the admin key writes its corpus folder into the shared store; others read.
    writer = True if http.admin_key else None
    app = create_app(loader=lambda: rag.load(settings, sync=writer), settings=settings, http=http)
    uvicorn.Server(uvicorn_config(app, host, port, http, settings.log_level)).run()


@app.command()
def build(
    force: Annotated[
        bool, typer.Option("--force", help="Re-embed every chunk instead of reusing cached vectors.")
    ] = False,
) -> None:
    """Build (or refresh) the search index of the configured corpus into GONGBAO_INDEX_DIR.

    The service's own build (rag.build): the corpus it serves, withdrawn documents left out.
    """
    import rag

    settings = _settings()
    if settings.vector_store == "milvus":
        _sync_milvus(settings, force=force)
        return
    _corpus_files(None)  # a missing or empty corpus folder: a plain message and exit code 2
    with _index_errors():
        corpus, manifest = rag.build(settings, force=force, progress=True)
    for problem in corpus.problems:
        err.print(f"[yellow]skipped {problem.file}:[/yellow] {problem.message}")
    console.print(
        f"Index at {settings.index_dir}: {manifest.chunk_count} chunks, "
        f"model {manifest.model}, built {manifest.built_at}"
    )


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Gazette files, or folders searched for gazettes (.txt, .md, .pdf, .docx, .html)."),
    ],
    workers: Annotated[int | None, typer.Option(help="Parser processes (default: one per CPU).")] = None,
) -> None:
    """Add gazette files to the corpus folder and update the index: parallel parsing, batched embedding.

    Only new or changed files are parsed and only chunks without a stored vector are embedded; an interrupted
    ingest resumes where it stopped when run again.
    """
    from index.embedders import make_embedder
    from index.ingest import copy_gazettes
    from index.ingest import ingest as run_ingest

    settings = _settings()
    if settings.vector_store == "milvus":
        try:
            copied, unchanged = copy_gazettes(paths, settings.corpus_dir)
        except FileNotFoundError as exc:
            err.print(f"[red]Error:[/red] {exc}")
            raise typer.Exit(2) from exc
        console.print(f"{len(copied)} files copied into {settings.corpus_dir} ({len(unchanged)} already there)")
        _sync_milvus(settings, workers=workers)
        return
    with _index_errors():
        try:
            result = run_ingest(
                paths,
                settings.corpus_dir,
                settings.index_dir,
                make_embedder(settings.embed_model),
                workers,
                options=settings.read_options(),
            )
        except FileNotFoundError as exc:
            err.print(f"[red]Error:[/red] {exc}")
            raise typer.Exit(2) from exc
    for problem in result.problems:
        err.print(f"[yellow]skipped {problem}[/yellow]")
    m = result.manifest
    console.print(
        f"{len(result.copied)} files copied into {settings.corpus_dir} ({len(result.unchanged)} already there), "
        f"{len(result.parsed)} parsed; index at {settings.index_dir}: {m.document_count} documents, "
        f"{m.chunk_count} chunks ({m.embedded_chunks} embedded in the last build), dense index {m.dense_index}"
    )


def _sync_milvus(settings: Settings, force: bool = False, workers: int | None = None) -> None:
    """`build`/`ingest` with GONGBAO_VECTOR_STORE=milvus: write the corpus folder into Milvus (changed files
    parsed, missing vectors embedded through GONGBAO_INDEX_DIR's caches), then publish it to every replica."""
    from index.embedders import make_embedder
    from index.milvus_store import drop, sync_folder

    client, names = settings.milvus()
    with _index_errors():
        if force:
            drop(client, names)
        result = sync_folder(
            settings.corpus_dir,
            settings.index_dir,
            client,
            names,
            make_embedder(settings.embed_model),
            options=settings.read_options(),
            progress=True,
            workers=workers,
        )
    for problem in result.problems:
        err.print(f"[yellow]skipped {problem}[/yellow]")
    m = result.manifest
    console.print(
        f"Milvus {settings.milvus_uri} ({names.chunks}): {m.document_count} documents, {m.chunk_count} chunks; "
        f"{len(result.parsed)} files parsed, {result.added} chunks written ({result.embedded} embedded), "
        f"{result.deleted} deleted; corpus generation {result.generation}"
    )


@app.command()
def migrate(
    from_index: Annotated[
        Path | None, typer.Option("--from", help="The FAISS index folder to move (default: GONGBAO_INDEX_DIR).")
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Drop the Milvus collections of that name first.")] = False,
) -> None:
    """Move a built FAISS index into Milvus (GONGBAO_MILVUS_URI) without re-embedding: its stored vectors and
    its parsed corpus. Then set GONGBAO_VECTOR_STORE=milvus."""
    from index.milvus_store import migrate_index

    settings = _settings()
    source = from_index or settings.index_dir
    client, names = settings.milvus()
    with _index_errors():
        try:
            result = migrate_index(source, client, names, replace=replace, progress=True)
        except FileNotFoundError as exc:
            err.print(f"[red]Error:[/red] {exc}")
            raise typer.Exit(2) from exc
    m = result.manifest
    console.print(
        f"Moved {source} into Milvus {settings.milvus_uri} ({names.chunks}): {m.document_count} documents, "
        f"{m.chunk_count} chunks, {result.added} written, {result.deleted} deleted, nothing embedded; "
        f"corpus generation {result.generation}"
    )


AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Give validity statuses for this date (YYYY-MM-DD); default today.")
]
InForceOption = Annotated[
    bool, typer.Option("--in-force-only", help="Leave out documents expired, repealed or not yet in force.")
]


def _day(text: str | None) -> date | None:
    """--as-of as a date; a clear error (exit code 2) for anything that is not YYYY-MM-DD."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a date of the form YYYY-MM-DD", param_hint="--as-of") from exc


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in Chinese.")],
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="Number of hits.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
    as_of: AsOfOption = None,
    in_force_only: InForceOption = False,
) -> None:
    """Search the clauses of the configured corpus (builds the index first if it is missing); each hit carries its
    document's validity status on --as-of (default today)."""
    hits = _service().search(query, k=k, as_of=_day(as_of), in_force_only=in_force_only)
    if as_json:
        print(json.dumps({"hits": [h.model_dump(mode="json") for h in hits]}, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"「{query}」")
    for col in ("#", "score", "document", "文号", "status", "section", "text"):
        table.add_column(col)
    for h in hits:
        table.add_row(
            str(h.rank),
            f"{h.score:.3f}",
            h.doc_title,
            h.doc_number or "—",
            h.status or "—",
            " › ".join(h.section),
            h.text[:80],
        )
    console.print(table)


@app.command()
def ask(
    question: Annotated[
        str, typer.Argument(help="A question in Chinese, or a citation such as 青政办〔2020〕64号第八条.")
    ],
    mode: Annotated[
        str | None,
        typer.Option(help="'extractive' (default: quotes the gazettes) or 'llm' (needs GONGBAO_LLM_BASE_URL)."),
    ] = None,
    as_of: AsOfOption = None,
    in_force_only: InForceOption = False,
) -> None:
    """Answer a question with citations (extractive by default: the answer quotes the gazettes)."""
    if not question.strip():
        err.print(
            '[red]Error:[/red] the question is empty: ask in Chinese, e.g. gongbao ask "稳岗返还比例提高到多少？"'
        )
        raise typer.Exit(2)
    service = _service()
    try:
        answer = service.ask(question, mode=mode, as_of=_day(as_of), in_force_only=in_force_only)
    except GongbaoError as exc:
        err.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if answer.short_answer:
        console.print(f"[bold]short answer:[/bold] {answer.short_answer}")
    console.print(answer.text)
    for c in answer.citations or answer.see_also:
        label = "" if answer.citations else "see also "
        console.print(f"[cyan]{label}[{c.n}] {c.doc_title} {c.doc_number or ''} {' › '.join(c.section)}[/cyan]")
    for note in answer.notes:
        console.print(f"[yellow]note:[/yellow] {note}")


@app.command()
def cite(
    ref: Annotated[
        str, typer.Argument(help="A citation: 文号 or title, with an optional clause, e.g. 青政办〔2020〕64号第八条.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the clauses as JSON.")] = False,
) -> None:
    """Print the clause(s) a citation names, verbatim with heading paths (like GET /v1/cite)."""
    if not ref.strip():
        err.print("[red]Error:[/red] the citation is empty: give a 文号 or a title, e.g. 青政办〔2020〕64号第八条")
        raise typer.Exit(2)
    service = _service()
    result = _found(service.cite(ref), ref)
    doc = result.document
    if as_json:
        clauses = [
            {"chunk_id": c.chunk_id, "section": c.section, "text": c.text, "source": c.source.model_dump()}
            for c in result.chunks
        ]
        row = {"ref": ref, "doc_id": doc.doc_id, "doc_title": doc.title, "doc_number": doc.doc_number}
        print(json.dumps({**row, "clause": result.clause, "clauses": clauses}, ensure_ascii=False, indent=1))
        return
    console.print(f"[bold]{doc.title}[/bold]  {doc.doc_number or ''}", markup=True)
    for chunk in result.chunks:
        console.print(f"\n[cyan]{' › '.join(chunk.section) or '（正文）'}[/cyan]")
        console.print(chunk.text, markup=False)


@app.command("eval")
def evaluate(
    url: Annotated[str | None, typer.Option("--url", help="Evaluate a running service over HTTP instead.")] = None,
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold", help="One folder of gold *.jsonl files (default: the dev and test splits, side by side)."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for eval.md, eval.json, eval.png.")] = Path("reports"),
    baselines: Annotated[bool, typer.Option(help="Also measure the BM25 and LangChain-default baselines.")] = True,
    backends: Annotated[
        str | None,
        typer.Option(
            "--backends",
            help="'faiss,milvus': measure both vector stores in one run (the index migrated into Milvus at "
            "GONGBAO_MILVUS_URI) and write OUT/milvus.md side by side instead.",
        ),
    ] = None,
) -> None:
    """Measure retrieval and answers on the gold Q&A set; write reports/eval.md, .json and .png."""
    import os

    from eval.report import write
    from eval.runner import run_eval, run_splits

    if backends is not None:
        _eval_backends(backends, out)
        return

    data = run_eval(url=url, gold_dir=gold, baselines=baselines) if gold else run_splits(url=url, baselines=baselines)
    data["cpus"] = os.cpu_count()
    for path in write(data, out):
        console.print(f"Wrote {path}")
    for name, split in data.get("splits", {"gold": data}).items():
        for system, metrics in split["retrieval"].items():
            console.print(f"{name} · {system}: " + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
        for system, metrics in split.get("answers_by_system", {"gongbao": split["answers"]}).items():
            console.print(f"{name} · {system} answers: " + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()))
    for metric, gap in data.get("gap", {}).items():
        console.print(f"dev − test gap · {metric}: {gap:+.3f}")


def _eval_backends(backends: str, out: Path) -> None:
    import shlex
    import sys

    from eval.backends import BACKENDS, compare_backends, write

    if tuple(b.strip() for b in backends.split(",")) != BACKENDS:
        err.print(f"[red]--backends takes {','.join(BACKENDS)}[/red] (both stores, side by side)")
        raise typer.Exit(2)
    settings = _settings()
    data = compare_backends(settings)
    command = "HF_HUB_OFFLINE=1 gongbao " + shlex.join(sys.argv[1:])
    console.print(f"Wrote {write(data, out / 'milvus.md', command)}")
    for name, splits in data["backends"].items():
        for split, metrics in splits.items():
            console.print(f"{name} · {split}: " + ", ".join(f"{k} {v:.3f}" for k, v in metrics.items()))


if __name__ == "__main__":
    app()
