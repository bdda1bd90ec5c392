"""Documents by 文号: a number whose issuer a word runs into (经青政办〔…〕) still finds its document."""

from __future__ import annotations

from index.doc_numbers import DocNumbers
from index.models import Corpus
from index.text import canonical_doc_number
from tests.helpers import banfa_corpus


def test_a_known_number_finds_its_documents() -> None:
    numbers = DocNumbers(banfa_corpus())
    assert {d.doc_number for d in numbers.get("青政办〔2024〕5号")} == {"青政办〔2024〕5号"}
    assert numbers.get(None) == [] and numbers.get("") == []


def test_a_word_run_into_the_issuer_is_read_off_by_the_known_issuer() -> None:
    numbers = DocNumbers(banfa_corpus())
    read = canonical_doc_number("经青政办〔2024〕5号同意")
    assert read == "经青政办〔2024〕5号"  # what the pattern reads: it cannot tell where the issuer starts
    assert numbers.known(read) == "青政办〔2024〕5号"
    assert numbers.get(read) == numbers.get("青政办〔2024〕5号")


def test_a_tail_is_no_issuer_of_its_own() -> None:
    numbers = DocNumbers(banfa_corpus())
    # another province's office, another year, and a one-character tail name nothing here
    assert numbers.get("湘政办〔2024〕5号") == []
    assert numbers.get("青政办〔2023〕5号") == []
    assert numbers.known("办〔2024〕5号") is None


def test_an_empty_corpus_knows_no_number() -> None:
    assert DocNumbers(Corpus()).get("青政办〔2024〕5号") == []


def test_the_longest_known_tail_wins() -> None:
    """Two issuers, one the other's tail (「青政办」 and 「政办」): a word run into the number takes the longer."""
    from index.models import Document, Gazette, ParsedGazette, SourceSpan

    span = SourceSpan(file="x.txt", line_start=1, line_end=1)
    docs = [
        Document(doc_id=f"d{i}", gazette_key="g", title="测试通知", doc_type="通知", doc_number=n, source=span)
        for i, n in enumerate(["政办〔2024〕5号", "青政办〔2024〕5号"])
    ]
    gazette = Gazette(key="g", source_file="x.txt", sha256="0" * 64)
    numbers = DocNumbers(Corpus(gazettes=[ParsedGazette(gazette=gazette, documents=docs, chunks=[])]))
    assert numbers.known("经青政办〔2024〕5号") == "青政办〔2024〕5号"


def test_a_number_shortened_after_a_whole_one_is_spelled_with_its_issuer_and_year() -> None:
    from index.text import spell_doc_numbers

    assert spell_doc_numbers("甲政办〔2019〕7号和12号两个办法") == "甲政办〔2019〕7号和甲政办〔2019〕12号两个办法"
    # a chain of them, and a 文号 of another issuer kept as written
    assert spell_doc_numbers("乙政〔2020〕3号、4号与5号") == "乙政〔2020〕3号、乙政〔2020〕4号与乙政〔2020〕5号"
    assert spell_doc_numbers("甲政〔2019〕7号和乙政办〔2020〕2号") == "甲政〔2019〕7号和乙政办〔2020〕2号"
    # a bare number with nothing whole before it, or not right after the join, is left alone
    assert spell_doc_numbers("7号和12号文件") == "7号和12号文件"
    assert spell_doc_numbers("甲政办〔2019〕7号和第12号") == "甲政办〔2019〕7号和第12号"
    assert spell_doc_numbers("甲政办〔2019〕7号和3月5号") == "甲政办〔2019〕7号和3月5号"
    # a comma does not list 文号 (a day follows it), and a line, a building or a decree is no 文号
    assert spell_doc_numbers("甲政〔2019〕7号，12号上午开会吗") == "甲政〔2019〕7号，12号上午开会吗"
    assert spell_doc_numbers("甲政〔2019〕7号和3号线") == "甲政〔2019〕7号和3号线"
    assert spell_doc_numbers("甲政〔2019〕7号和12号令") == "甲政〔2019〕7号和12号令"
