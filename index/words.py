"""The words a BM25 index is made of: jieba search-mode words and character 1–2-grams, as vocabulary ids.

Apart from `index.store` (which imports FAISS, bm25s and numba: ~1.3 s CPU) so that the child process a 2-core build
starts for the jieba half of its lexical part (`python -m index.words`, `index.store._Lexical`) imports only jieba
and `index.text`: it starts in ~0.1 s CPU, where a spawned `multiprocessing` worker re-imports the whole project.

As a program: `python -m index.words USERDICT TEXTS OUT` reads the pickled list of indexed texts in TEXTS, cuts
them with jieba and the user dictionary USERDICT (`corpus_jieba_tokens`) and pickles their `token_ids` into OUT.
"""

from __future__ import annotations

import itertools
import pickle
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import jieba

from index.text import norm

_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "是",
        "为",
        "对",
        "等",
        "中",
        "把",
        "被",
        "将",
        "由",
        "于",
        "以",
        "其",
        "之",
        "也",
        "都",
        "而",
        "并",
        "有",
        "个",
        "哪些",
        "什么",
        "多少",
        "吗",
        "呢",
    ]
)
_PUNCT = re.compile(r"^[\W_]+$")
_UNIT = re.compile(r"[A-Za-z0-9.%]+|[\u4e00-\u9fff]")
_SPAN_SPLIT = re.compile(r"[^A-Za-z0-9.%\u4e00-\u9fff]+")

# distinct text blocks whose tokens a build remembers (`_by_block`): ~20,000 in the bundled corpus, a few hundred
# bytes each
_BLOCK_MEMO = 200_000


def _write_userdict(terms: Iterable[str], path: Path) -> None:
    path.write_text("".join(f"{t} 100000 n\n" for t in terms if " " not in t), encoding="utf-8")


def make_jieba(userdict: Path | None) -> jieba.Tokenizer:
    """A private jieba tokenizer (not the global one) with the corpus user dictionary loaded."""
    tok = jieba.Tokenizer()
    if userdict is not None and userdict.is_file():
        tok.load_userdict(str(userdict))
    return tok


def jieba_tokens(tok: jieba.Tokenizer, text: str) -> list[str]:
    """jieba search-mode words of the normalised text, without punctuation and stopwords."""
    return _kept_words(tok.cut_for_search(norm(text)))


def _kept_words(words: Iterable[str]) -> list[str]:
    """The words a BM25 index keeps: not blank, not punctuation, not a stopword."""
    return [w for w in words if w.strip() and not _PUNCT.match(w) and w not in _STOPWORDS]


def char_tokens(text: str) -> list[str]:
    """Character unigrams + bigrams (a run of ASCII letters/digits counts as one character)."""
    out: list[str] = []
    for span in _SPAN_SPLIT.split(norm(text)):
        units = _UNIT.findall(span)
        out.extend(units)
        out.extend(a + b for a, b in itertools.pairwise(units))
    return out


def _by_block(
    texts: Iterable[str], split: Callable[[str], list[str]], tokens: Callable[[str], list[str]]
) -> Iterator[list[str]]:
    """Each text's tokens as the concatenation of its blocks' (`split`), each distinct block tokenised once.

    Exact where a tokeniser's output is the concatenation of its output on each block, as jieba's search mode is on
    the blocks `jieba.re_han_default` splits a text into (the first thing `Tokenizer.cut` does: each block is cut on
    its own). A corpus repeats blocks a lot (every chunk's indexed text begins with its document's title and heading
    path, and clauses share phrases: 36% of the bundled corpus's characters are in a block seen before), so the build
    cuts each once: 1.22 → 1.00 s CPU at 1x (`python -m bench.floor --parts`). Not used for `char_tokens`, whose
    spans are cheaper to tokenise again than to look up (0.21 → 0.28 s). Forgotten all at once past `_BLOCK_MEMO`."""
    memo: dict[str, list[str]] = {}
    for text in texts:
        out: list[str] = []
        for block in split(norm(text)):
            if not block:
                continue
            known = memo.get(block)
            if known is None:
                if len(memo) >= _BLOCK_MEMO:
                    memo.clear()
                known = memo[block] = tokens(block)
            out.extend(known)
        yield out


def corpus_jieba_tokens(tok: jieba.Tokenizer, texts: Iterable[str]) -> Iterator[list[str]]:
    """`jieba_tokens(tok, text)` of each text (the same lists), each distinct jieba block cut once (`_by_block`)."""
    kept = _kept_words
    return _by_block(texts, jieba.re_han_default.split, lambda block: kept(tok.cut_for_search(block)))


def token_ids(tokens: Iterable[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    """Each text's tokens as vocabulary ids (ids in order of first appearance), and the vocabulary.

    Made one text at a time, so the tokens are never all held as strings: a token string costs ~60 bytes, an id
    8 (a reference to the vocabulary's int). Every chunk's jieba and character tokens held as strings were the
    largest part of the 100× build's 8.1 GB peak (reports/scale.md).
    """
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in text] for text in tokens]
    return ids, vocab


def jieba_token_ids(texts: list[str], userdict: Path) -> tuple[list[list[int]], dict[str, int]]:
    """The `token_ids` of the texts' jieba words with the corpus user dictionary `userdict` (the jieba BM25's input)."""
    return token_ids(corpus_jieba_tokens(make_jieba(userdict), texts))


def main(argv: list[str]) -> None:
    """`python -m index.words USERDICT TEXTS OUT`: `jieba_token_ids` of the pickled texts, pickled into OUT."""
    userdict, texts_path, out = (Path(a) for a in argv)
    with texts_path.open("rb") as f:
        texts = pickle.load(f)
    with out.open("wb") as f:
        pickle.dump(jieba_token_ids(texts, userdict), f, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main(sys.argv[1:])
