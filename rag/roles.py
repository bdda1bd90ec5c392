"""Answers about who holds a role or which body leads: a quote for each role asked, only the roster lines of roles
asked, and the rows of the same item naming its other bodies.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.text import norm
from rag.config import AnswerConfig
from rag.cuts import piece_runs, row_cells
from rag.direct import Direct, unit_pieces
from rag.evidence import Clause, names_body_in_role
from rag.lexicon import ROSTER_LABEL, holds_role
from rag.question import Question
from rag.units import Picked


def role_quotes(
    question: Question, clauses: Sequence[Clause], scored: list[Picked], chosen: list[Picked], cfg: AnswerConfig
) -> list[Picked]:
    """For a question asking the holders of several roles (「召集人和副召集人是谁」, 「组长是谁？办公室主任由谁
    兼任」, two groups' heads), the best-scored unit stating a holder of each role no quote chosen so far states:
    each role is a part of its own, and a holder of one role does not answer another (「副召集人：」 is not the
    召集人). Within the documents the question names, when it names any."""
    if len(question.roles) < 2:
        return []
    named = {d for doc_ids in question.named_families for d in doc_ids}
    # one group asked (no sides): its other roles are held in the lead's document, whose title (and so the group's
    # name) the scores leave out; another group's 「…兼任办公室主任」 only when that document states none
    lead_doc = clauses[chosen[0].hit_index].doc_key if chosen and not question.sides else None
    out: list[Picked] = []
    for role in question.roles:
        if any(
            holds_role(p.quote, (role,)) and (lead_doc is None or clauses[p.hit_index].doc_key == lead_doc)
            for p in chosen + out
        ):
            continue
        holders = [
            p
            for p in scored
            if p.score > 0
            and (not named or getattr(clauses[p.hit_index].hit, "doc_id", None) in named)
            and holds_role(p.quote, (role,))
        ]
        best = next((p for p in holders if clauses[p.hit_index].doc_key == lead_doc), holders[0] if holders else None)
        if best is not None and not any(best.quote in p.quote for p in chosen + out):
            out.append(_holding_pieces(best, role, cfg))
    return out


def _holding_pieces(p: Picked, role: str, cfg: AnswerConfig) -> Picked:
    """A long quote stating a role's holder cut to its pieces that state it (「…王海红兼任办公室主任。」 of a roster
    run into a sentence by the page layout); a quote of at most `cfg.direct_max_chars` characters stays whole."""
    if len(p.quote) <= cfg.direct_max_chars:
        return p
    pieces = unit_pieces(p.quote)
    keep = [j for j, (a, b, _) in enumerate(pieces) if holds_role(p.quote[a:b], (role,))]
    return Picked(p.hit_index, "".join(piece_runs(p.quote, pieces, keep)), p.score) if len(keep) == 1 else p


def asked_roles_only(
    question: Question, direct: Direct, chosen: list[Picked], clauses: Sequence[Clause]
) -> list[Picked]:
    """A question asking who holds some roles (「组长是谁」) is answered without the roster lines of roles it does not
    name (「副组长：…」, 「成员：…」): a line opening with a roster label (`index.text.ROSTER_LABEL`) the question does
    not say names no holder asked. Asking of one group (no sides), it is answered without another document's holder
    of a role that a quote of the opening's document states (another group's 「…兼任办公室主任」). The quote the
    opening stands on stays."""
    if not question.roles:
        return chosen
    lead_doc = clauses[direct.hit_index].doc_key
    held = {
        r
        for p in chosen
        if clauses[p.hit_index].doc_key == lead_doc
        for r in question.roles
        if holds_role(p.quote, (r,))
    }
    out = []
    for p in chosen:
        if not question.sides and clauses[p.hit_index].doc_key != lead_doc:
            own = {r for r in question.roles if holds_role(p.quote, (r,))}
            if own and own <= held:
                continue

        label = ROSTER_LABEL.match(p.quote.strip())
        other = (
            label is not None
            and norm(label.group()).strip("-•·:：") not in question.normalised
            and not holds_role(p.quote, question.roles)  # 「主任：…」 for 「委员会由哪位省领导牵头」 (its head's role)
        )
        if other and not (p.hit_index == direct.hit_index and direct.unit in p.quote):
            continue
        out.append(p)
    return out


def body_rows(
    question: Question, direct: Direct, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig
) -> list[Picked]:
    """After an opening naming a body from a table row (「牵头单位：人行西宁中心支行」), the rows that answer with it:
    the retrieved rows of the same item naming its other bodies (a row whose cells before the body's cell are the
    opening row's: 「条款：第8条；政策内容：融资支持」 printed once per 牵头单位; at most `cfg.co_body_rows`), and no
    other item's row (「主要任务：27. …；牵头单位：…」 under an opening for task 25 names the body of another task).
    Quotes that are no table row stay; a question asking several things or comparing keeps its quotes (another row
    may answer a part of it or a compared document)."""
    clause = clauses[direct.hit_index]
    several = bool(question.parts or question.sides) or len(question.named_families) > 1  # a part, a compared side
    if not cfg.co_body_rows or several or not clause.is_table_row or not names_body_in_role(direct.piece):
        return chosen
    at = direct.unit.find(direct.piece)
    item = [direct.unit[a:b] for a, b in row_cells(direct.unit) if b <= at]  # the cells before the body's
    if at < 0 or not item:
        return chosen

    def same_item(c: Clause) -> bool:
        cells = row_cells(c.units[0]) if c.is_table_row and c.doc_key == clause.doc_key else []
        return [c.units[0][a:b] for a, b in cells[: len(item)]] == item

    kept = [
        p
        for p in chosen
        if p.hit_index == direct.hit_index or not clauses[p.hit_index].is_table_row or same_item(clauses[p.hit_index])
    ]
    quoted = {p.hit_index for p in kept}
    more = [i for i, c in enumerate(clauses[: cfg.depth]) if i not in quoted and same_item(c)]
    return kept + [Picked(i, clauses[i].units[0], 0.0) for i in more[: max(0, cfg.co_body_rows - len(quoted) + 1)]]
