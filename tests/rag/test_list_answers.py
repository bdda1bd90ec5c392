"""List answers: the sentence enumerating items of what is asked leads, and stray sentences do not follow it.

Invented fixtures (no bundled document, no dev gold wording)."""

from __future__ import annotations

from rag.compose import compose
from rag.config import AnswerConfig
from rag.question import list_head
from rag.units import enumerates, list_items
from tests.helpers import make_hit

_FILLER = "各成员单位要加强沟通协调，细化工作方案，明确任务分工，形成推进合力，确保各项措施落到实处。" * 5
# rank 1: shares the question's words, and enumerates other things (media, not groups)
_MEDIA = (
    "(五) 加强宣传。各小组要按职责加强协同配合，及时报告工作进展。"
    "利用网络、电视、报刊、微博等媒体平台，广泛宣传指挥部专项工作成效。" + _FILLER
)
# rank 2: names the groups asked
_GROUPS = "(二) 组织机构。指挥部下设综合协调组、物资保障组、舆情引导组、技术支持组。" + _FILLER
_QUESTION = "应急指挥部下设哪几个专项小组？"


def test_the_noun_a_list_question_asks_items_of() -> None:
    assert list_head(_QUESTION) == "专项小组"
    assert list_head("示范区试点街道有哪些？") == "街道"
    assert list_head("哪些人被免去职务？") == ""  # 「人」 alone tells no items apart
    assert list_head("试点工作进展如何？") == ""
    # the noun phrase is read to its end: the items asked are 措施, not the 改革 that qualifies them
    head = list_head("示例规划有哪些器械耗材改革措施？")
    assert head.endswith("措施")
    policies = "通过落实示例总额付费、示例支付方式改革、示例结余留用等政策，拓宽示例经费渠道。"
    assert not enumerates(policies, head)


def test_the_enumerating_sentence_leads_a_list_answer_and_strays_do_not_follow() -> None:
    hits = [make_hit(_MEDIA, ["五、保障措施"], rank=1), make_hit(_GROUPS, ["二、组织机构"], rank=2, line=9)]
    _, picked = compose(_QUESTION, hits)
    assert picked[0].quote.startswith("指挥部下设综合协调组")
    assert [p.hit_index for p in picked] == [1]  # the other clause's sentences sharing its words are left out


def test_a_list_answer_quotes_another_list_only_when_it_names_other_items() -> None:
    restated = (
        "(三) 工作分工。综合协调组、物资保障组、舆情引导组、技术支持组等4个专项小组在指挥部统一领导下，"
        "分别承担日常联络、物资调配、舆论应对和技术保障职责。" + _FILLER
    )
    others = "(四) 区级机构。区指挥部下设信息报送组、医疗救护组、交通管控组。" + _FILLER
    hits = [
        make_hit(_GROUPS, ["二、组织机构"], rank=1),
        make_hit(restated, ["三、工作分工"], rank=2, line=9),
        make_hit(others, ["四、区级机构"], rank=3, line=19),
    ]
    _, picked = compose(_QUESTION, hits, cfg=AnswerConfig(same_doc_share=0.0))
    quoted = "".join(p.quote for p in picked)
    assert "信息报送组" in quoted  # a list of other groups
    assert [p.hit_index for p in picked].count(1) == 0  # the same groups again add nothing
    assert list_items("下设甲组、乙组、丙组等3个组，负责联络、调配、保障。", "小组") == {"下设甲组", "乙组", "丙组"}
