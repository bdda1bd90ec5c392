"""The work one question's reading may cause is bounded (rag.config.ReadingConfig; reports/reliability.md): however
long or strange the text, within the API's 2,000 characters."""

from __future__ import annotations

import random
import re

import jieba.posseg
import pytest

from rag.config import READING, ReadingConfig
from rag.question import Question, _with_verb, _words, asked_values, tagging_work

# Rare characters (outside the tagger's HMM tables) cost it the most: 256 x 256 Viterbi steps each.
RARE = "".join(chr(random.Random(7).randint(0x4E00, 0x9FA5)) for _ in range(1990))
ITEMS = ["医疗费用", "住院床位", "养老机构", "托育服务", "公共体育", "文化场馆", "污水处理", "垃圾分类", "农村公路",
         "供暖管网", "燃气管道", "充电设施", "冷链物流", "职业教育", "婴幼儿照护", "社区食堂"]  # fmt: skip


def test_a_question_of_rare_characters_is_tagged_without_the_hmm(monkeypatch: pytest.MonkeyPatch) -> None:
    tagged: list[tuple[int, bool]] = []
    original = jieba.posseg.lcut

    def spy(text: str, HMM: bool = True) -> list[jieba.posseg.pair]:
        tagged.append((tagging_work(text), HMM))
        return original(text, HMM=HMM)

    monkeypatch.setattr(jieba.posseg, "lcut", spy)
    long = Question.read("钾肥" + RARE[:1500] + "产量是多少？")
    assert tagging_work(long.normalised) > READING.hmm_work and not long.hmm
    # still read, with the dictionary's words
    assert long.words == ("钾肥", "产量") and long.asked_values == (("quantity", ("钾肥", "产量"), "产量"),)
    assert tagged and not any(hmm for _, hmm in tagged)
    tagged.clear()
    plain = Question.read("2025年全省养老机构护理型床位占比要达到多少？")
    assert plain.hmm and plain.words and all(hmm for _, hmm in tagged)
    assert not Question.read(plain.text, cfg=ReadingConfig(hmm_work=0)).hmm


def test_the_parts_read_are_capped() -> None:
    question = "、".join(ITEMS[:-1]) + "和" + ITEMS[-1] + "分别是多少？"
    assert len(Question.read(question).parts) == READING.max_parts < len(ITEMS)
    assert [p.text for p in Question.read(question, cfg=ReadingConfig(max_parts=3)).parts] == ITEMS[:3]
    three = Question.read("医疗费用、住院床位和养老机构分别是多少？")
    assert [p.text for p in three.parts][:2] == ITEMS[:2] and len(three.parts) == 3


# The regex `_with_verb` used before (it backtracked cubically on a long enumeration without the verb after it).
_OLD = re.compile(r"([^，。？?；;]*、[^，。？?；;]*?)((?:印发|发布|发文|下发|签发|公布))")


def _old_with_verb(segment: str) -> list[str]:
    m = _OLD.search(segment)
    return [segment] if m is None else [segment, *(i + m.group(2) for i in m.group(1).split("、") if i)]


def test_the_verb_after_an_enumeration_is_found_as_the_regex_found_it() -> None:
    rng = random.Random(0)
    pieces = ["、", "印发", "发布", "公布", "印", "发", "布", "是谁", "哪天", "以什么文号", "的", "下", "签"]
    for _ in range(3000):
        segment = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert _with_verb(segment) == _old_with_verb(segment), segment
    assert _with_verb("是谁、哪天、以什么文号印发的") == [
        "是谁、哪天、以什么文号印发的",
        "是谁印发",
        "哪天印发",
        "以什么文号印发",
    ]
    long = "哪天、" * 600 + "印发"
    assert _with_verb(long)[1:] == ["哪天印发"] * 600


def test_a_segment_is_tagged_once_for_its_words_and_its_head(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = jieba.posseg.lcut

    def spy(text: str, HMM: bool = True) -> list[jieba.posseg.pair]:
        calls.append(text)
        return original(text, HMM=HMM)

    monkeypatch.setattr(jieba.posseg, "lcut", spy)
    _words.cache_clear()  # an earlier test may have read the same segment (the cache is per process)
    asked = asked_values("养老服务床位补贴标准提高到每张多少元？")  # a figure: its naming words and its head
    assert asked and asked[0][2] is not None
    assert len(calls) == 1
