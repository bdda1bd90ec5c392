"""Quotes cut to their pieces: a sentence to the comma- or semicolon-bounded pieces stating a value or naming what is
asked, a table row to its cells, a definition question's clause to the sentences defining its term. Every cut is
verbatim: adjoining pieces stay one quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from index.text import norm
from rag.config import DEFAULT, AnswerConfig
from rag.direct import Direct, asked_types, qualifies, unit_pieces
from rag.evidence import Clause, sentences
from rag.lexicon import (
    BRACKETED_PAUSE,
    DEADLINE_COLUMN,
    DEFINES,
    DEFINITION,
    DIGIT,
    ENUMERATION,
    FULL_STOP,
    INDICATOR_NAME,
    ISSUING,
    PIECE_JOIN,
    PROCEDURE_Q,
    SERIAL_CELL,
    UNIT_COLUMN,
    key_bigrams,
    numbers_in,
)
from rag.question import VALUE_TYPES, Question
from rag.units import Picked, rarity
from rag.values import CUT_TYPES, states_value, value_kinds

_PUNCTUATION = "，,；;。：: \t"


def cut_to_values(
    question: Question, direct: Direct, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig
) -> list[Picked]:
    """After a direct opening, each quoted sentence (not a table row: its cells mean something only together) cut to
    the comma- or semicolon-bounded pieces that state a figure or a value of an asked type, each with the piece
    before it when that one names what the value is of; adjoining pieces stay one verbatim quote. Another table row
    than the opening's is quoted whole but for a long cell of several sentences (`row_sentences`)."""
    if not cfg.cut_to_values:
        return chosen
    if not CUT_TYPES & set(asked_types(question)):
        return _without_opening(direct, chosen, clauses, cfg) if cfg.cut_opening else chosen
    kinds = value_kinds(question)
    out: list[Picked] = []
    for p in chosen:
        clause = clauses[p.hit_index]
        if clause.is_table_row:
            if cfg.cut_rows and p.hit_index == direct.hit_index and direct.unit in p.quote:
                runs = row_runs(p.quote, question, direct.piece, kinds, cfg, direct.named)
                out += [Picked(p.hit_index, q, p.score) for q in runs]
            elif cfg.row_cell_sentences:
                out += [Picked(p.hit_index, q, p.score) for q in row_sentences(p.quote, question, cfg)]
            else:
                out.append(p)
            continue
        units = [u for u in clause.units if u in p.quote]
        if not units:
            out.append(p)
            continue
        for unit in units:
            if cfg.cut_opening and p.hit_index == direct.hit_index and unit == direct.unit:
                # the sentence the opening comes from: only what the opening does not say is quoted under it
                at = unit.find(direct.piece)
                runs = value_runs(unit, question, kinds, cfg, (at, at + len(direct.piece)) if at >= 0 else None)
                out += [Picked(p.hit_index, q, p.score) for q in runs or [direct.piece]]
            elif (
                cfg.drop_valueless
                and p.hit_index == direct.hit_index
                and not numbers_in(unit)
                and not states_value(unit, question, kinds)
            ):
                # a sentence of the opening's clause stating no value at all (「深化…合作，推动…」 between two targets)
                # supports nothing the opening or the clause's value sentences say
                continue
            else:
                out += [Picked(p.hit_index, q, p.score) for q in value_runs(unit, question, kinds, cfg)]
    return out


def without_formula(quote: str) -> str:
    """A quote without the formula issuing its document and the requests after it (`lexicon.ISSUING`): they say
    nothing of the subject (「…审议通过，现印发给你们，请结合实际，认真抓好贯彻落实。」 → 「…审议通过」). The quote as
    it is when no piece after its first issues it, or when a sentence follows the one issuing (a clause quoted whole
    goes on about its subject)."""
    pieces = unit_pieces(quote)
    at = next((j for j, (a, b, _) in enumerate(pieces) if j and ISSUING.search(quote[a:b])), None)
    if at is None or FULL_STOP.search(quote[pieces[at][0] :].rstrip().rstrip("。！!？?")):
        return quote
    b = pieces[at - 1][1]
    return quote[: b + 1 if FULL_STOP.match(quote[b]) else b]  # a sentence's own full stop stays


def with_figures(question: Question, direct: Direct, chosen: list[Picked], cfg: AnswerConfig) -> list[Picked]:
    """After an opening stating a figure or a time (every type the question asks is one of `CUT_TYPES`), only the
    quotes that state one too (`numbers_in`, or a value of an asked kind such as 「年底前」): a quote stating none
    neither supports the opening's value nor adds an asked one. On dev these are the figureless pieces the cuts keep
    of the opening's own sentence or row: the cell naming the indicator the question names (「指标名称：…」 under
    「2025年目标值预测：12亿元」), the subject of a value too long to open with (「对…企业」 under 「给予…30万元」).
    An opening stating its value in words (a frequency 「每半年」) keeps its quotes: it was dev's only kind of answer
    whose gold holds no figure, so its quotes carry the facts. The opening's own quote stays as its verbatim piece
    when nothing of it is left (cited, not repeated: `rag.answer._assemble`)."""
    types = set(asked_types(question))
    if not cfg.drop_figureless or not types or not types <= CUT_TYPES or not numbers_in(direct.span):
        return chosen  # an opening stating a time in words (「每半年」, 「年底前」): its sentence may say more in words
    if question.sides or any(p.answer_type not in VALUE_TYPES for p in question.parts):
        # a part asking no value (「…申领要交什么材料」) is answered in words; a compared document's only quote may
        # state none, and dropping it would leave the reader not knowing that document was read
        return chosen
    kinds = value_kinds(question)
    # a digit counts, an item's number too (「14. …」: numbers_in leaves it out, a question may ask 第几项)
    # and the indicator cell of the opening's row when the opening could not name it (too long to open with): without
    # it the opening's figure is of nothing the answer says
    kept = [
        p
        for p in chosen
        if numbers_in(p.quote)
        or DIGIT.search(p.quote)
        or states_value(p.quote, question, kinds)
        or (direct.named is None and p.hit_index == direct.hit_index and _names_indicator(p.quote))
    ]
    if not any(p.hit_index == direct.hit_index for p in kept):
        kept.insert(0, Picked(direct.hit_index, direct.piece, chosen[0].score if chosen else direct.score))
    return kept


def _names_indicator(quote: str) -> bool:
    """Whether a quote of a table row starts with its indicator cell (「主要指标：…」, `lexicon.INDICATOR_NAME`)."""
    return bool(INDICATOR_NAME.match(quote.partition("：")[0]))


def cut_untyped(question: Question, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig) -> list[Picked]:
    """A question of no value type and no special form (「…在哪儿开幕」, 「…叫什么」): a clause quoted whole by its
    sentences holding at least `cfg.untyped_unit_bigrams` of the question's content bigrams or stating a figure (all of
    them when none or every one does; those kept stay whole), of those naming it only the ones holding
    `cfg.untyped_unit_share` of the distinguishing words (`rarity`) the best one holds when the question asks one thing
    (not a card's lines); a quote of one sentence longer than
    `cfg.untyped_cut_chars` cut to its pieces holding at least `cfg.untyped_piece_bigrams` of the question's content
    bigrams, each with the piece after it (what is said of the subject the question names); a sentence with no such
    piece stays whole. A list question's long sentence is cut so too (`cfg.list_pieces`), its pieces naming items
    (`lexicon.ENUMERATION`) or stating figures kept as well, unless an aside in brackets would be cut open; its clause
    quoted whole stays whole (the items are its sentences). A definition question's one long sentence is cut so too
    (`cfg.definition_pieces`) when it defines or glosses nothing (`lexicon.DEFINITION`: 「…实行什么机制」 answered by
    「严格执行…机制，对…」) and the question does not ask how. A table row stays whole, but for a long cell of several
    sentences (`row_sentences`), whatever the question's form."""
    if cfg.row_cell_sentences:
        chosen = [
            Picked(p.hit_index, q, p.score)
            for p in chosen
            for q in (row_sentences(p.quote, question, cfg) if clauses[p.hit_index].is_table_row else [p.quote])
        ]
    defining = question.form == "definition"
    if defining:
        chosen = _defining_sentences(question, chosen, clauses, cfg) if cfg.defining_sentence else chosen
        # one asking how (「…机制怎么运用」) is answered by every step of its sentence
        if not cfg.definition_pieces or PROCEDURE_Q.search(question.normalised):
            return chosen
    listed = question.form == "list" and cfg.list_pieces
    if not cfg.untyped_cut_chars or (question.form != "general" and not listed and not defining):
        return chosen
    out: list[Picked] = []
    for p in chosen:
        clause = clauses[p.hit_index]
        units = [u for u in clause.units if u in p.quote]
        if cfg.untyped_unit_bigrams and not clause.is_table_row and len(units) > 1 and not listed and not defining:
            # a clause quoted whole (a short one, rag.compose._quotes): its sentences naming what is asked, and those
            # stating a figure (the date of 「●8月26日 …会议…举行。」 is the answer to 「…何时当选」), the others go
            held_units = [
                u for u in units if len(key_bigrams(u) & question.asked) >= cfg.untyped_unit_bigrams or numbers_in(u)
            ]
            if cfg.untyped_unit_share and len(held_units) > 1 and clause.kind != "card" and not question.asks_several:
                weights = rarity(question, clauses, cfg)
                hold = {u: sum(weights.get(b, 0.0) for b in key_bigrams(u)) for u in held_units}
                top = max(hold.values())
                held_units = [u for u in held_units if hold[u] >= cfg.untyped_unit_share * top or numbers_in(u)]
            if held_units and len(held_units) < len(units):
                out += [Picked(p.hit_index, u, p.score) for u in held_units]
                continue
        if (
            clause.is_table_row
            or len(units) != 1
            or len(norm(p.quote)) <= cfg.untyped_cut_chars
            or (listed and BRACKETED_PAUSE.search(units[0]))
            or (defining and DEFINITION.search(units[0]))  # a sentence that defines is the answer whole
        ):
            out.append(p)
            continue
        unit = units[0]
        pieces = unit_pieces(unit)
        held = [
            j
            for j, (a, b, _) in enumerate(pieces)
            if len(key_bigrams(unit[a:b]) & question.asked) >= cfg.untyped_piece_bigrams
            # a list's items (「以甲、乙、丙等3个…为重点」) and figures, whatever words name them
            or (listed and (ENUMERATION.search(unit[a:b]) or numbers_in(unit[a:b])))
        ]
        if not held:
            out.append(p)
            continue
        keep = set(held) | {j + 1 for j in held if j + 1 < len(pieces) and PIECE_JOIN.match(pieces[j + 1][2])}
        out += [Picked(p.hit_index, q, p.score) for q in piece_runs(unit, pieces, keep)]
    return out


def _defining_sentences(
    question: Question, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig
) -> list[Picked]:
    """A definition question's clause quoted whole, by the sentences defining a term the question names (`defines`):
    「重污染天气是指…。本预案适用于…。因沙尘…不适用于本预案。」 answers 「重污染天气指什么」 with its first sentence;
    a clause with no such sentence, or only such sentences (「本办法所称基建项目，包括…。债务风险是指…。」, both
    terms named by a question about the 基建项目 rules' 债务风险), stays whole."""
    out: list[Picked] = []
    for p in chosen:
        clause = clauses[p.hit_index]
        units = [u for u in clause.units if u in p.quote]
        if clause.is_table_row or len(units) < 2:
            out.append(p)
            continue
        kept = [u for u in units if defines(u, question, cfg)]
        out += [Picked(p.hit_index, u, p.score) for u in kept] if 0 < len(kept) < len(units) else [p]
    return out


def defines(sentence: str, question: Question, cfg: AnswerConfig = DEFAULT) -> bool:
    """Whether a sentence defines a term the question names: the term (before 「是指」, or after 「所称」 up to the next
    comma) holds at least `cfg.untyped_unit_bigrams` of the question's content bigrams."""
    m = DEFINES.search(sentence)
    if m is None:
        return False
    if m.group("after"):
        comma = re.search(r"[，,（(]", sentence[m.end() :])
        term = sentence[m.end() : m.end() + comma.start()] if comma else sentence[m.end() :]
    else:
        term = sentence[: m.start()]
    return len(key_bigrams(term) & question.asked) >= max(1, cfg.untyped_unit_bigrams)


def _without_opening(
    direct: Direct, chosen: list[Picked], clauses: Sequence[Clause], cfg: AnswerConfig = DEFAULT
) -> list[Picked]:
    """A body or person answer's quotes with the opening's own sentence quoted by its pieces the opening does not
    hold (「由省公安厅牵头」 opens; 「有关部门为…成员单位」 is what its sentence adds), its other sentences whole:
    a body is named in too many ways for its sentences to be cut to values, but what the opening says needs no
    second line. The table row the opening comes from is quoted by `body_row_cells` (with `cfg.cut_rows`); another
    row stays whole (its cells mean something only together)."""
    out: list[Picked] = []
    at = direct.unit.find(direct.piece)
    for p in chosen:
        clause = clauses[p.hit_index]
        if clause.is_table_row and cfg.cut_rows and p.hit_index == direct.hit_index and direct.unit in p.quote:
            out += [Picked(p.hit_index, q, p.score) for q in body_row_cells(p.quote, direct.piece, cfg)]
            continue
        if clause.is_table_row or p.hit_index != direct.hit_index or direct.unit not in p.quote or at < 0:
            out.append(p)
            continue
        start = p.quote.find(direct.unit)
        # nothing left: the verbatim opening piece stands for its sentence (cited, not repeated: rag.answer._assemble)
        rest = remaining_runs(direct.unit, (at, at + len(direct.piece))) or [direct.piece]
        before, after = p.quote[:start].strip(), p.quote[start + len(direct.unit) :].strip()
        out += [Picked(p.hit_index, q, p.score) for q in (before, *rest, after) if q]
    return out


def body_row_cells(row: str, opening: str, cfg: AnswerConfig = DEFAULT) -> list[str]:
    """The table row a body or person opening comes from (「副召集人：刘涛；副省长」 under 「副召集人：刘涛」) without
    the opening's own cell, when that cell says no more than the opening, and without the heading lines above the row
    (its citation shows the heading path); its other cells stay, adjoining ones one verbatim run: who leads is often
    answered with the other roles, the deadline and the serial number too, so the row is not cut to what is asked.
    When nothing is left the opening says it all: the verbatim opening piece stands for the row (cited, not
    repeated)."""
    cells = row_cells(row)
    keep = [j for j, (a, b) in enumerate(cells) if not _says_no_more(row[a:b], opening, cfg)]
    out = [row[cells[run[0]][0] : cells[run[-1]][1]] for run in _adjoining(keep)]
    return out or [opening]


def _says_no_more(cell: str, opening: str, cfg: AnswerConfig) -> bool:
    """Whether a row's cell says no more than the opening: the opening holds it, or it holds the opening and fewer
    than `cfg.row_cell_slack` characters besides (its column name)."""
    return cell.strip() in opening or (opening in cell and len(cell) - len(opening) < cfg.row_cell_slack)


def row_sentences(row: str, question: Question, cfg: AnswerConfig = DEFAULT) -> list[str]:
    """A quoted table row whose cell longer than `cfg.row_cell_chars` holds several sentences (a 「重点任务」 of four
    measures), with that cell cut to its sentences holding the most of the question's content bigrams (at least
    `cfg.untyped_unit_bigrams`, and `cfg.row_sentence_share` of the most any of them holds): the measure asked about,
    not its neighbours. Those sentences come first; the other cells follow (who is responsible, by when), adjoining
    ones one verbatim run; the item's serial number and the heading lines above the row go (its citation shows
    them). The row whole when no cell is cut."""
    cells = row_cells(row)
    held_sentences: list[str] = []
    out: list[str] = []  # the runs of other cells
    run: list[int] = []  # adjoining cells kept whole, not yet placed

    def place_run() -> None:
        if run:
            out.append(row[cells[run[0]][0] : cells[run[-1]][1]])
            run.clear()

    for j, (a, b) in enumerate(cells):
        if SERIAL_CELL.match(row[a:b]):  # 「序号：8」 numbers the row and tells nothing: the citation shows it
            place_run()
            continue
        value_at = a + len(row[a:b].partition("：")[0]) + 1 if "：" in row[a:b] else a
        units = sentences(row[value_at:b]) if b - a > cfg.row_cell_chars else []
        held = [len(key_bigrams(u) & question.asked) for u in units]
        best = max(held, default=0)
        floor = max(cfg.untyped_unit_bigrams, cfg.row_sentence_share * best)
        if len(units) < 2 or best < max(1, cfg.untyped_unit_bigrams) or min(held) >= floor:
            run.append(j)
            continue
        place_run()
        held_sentences += [u for u, n in zip(units, held, strict=True) if n >= floor]
    place_run()
    # what answers first (a row's other cells, e.g. who is responsible, after the measure asked about)
    return held_sentences + out if held_sentences else [row]


def without_row_labels(row: str) -> str:
    """A table row quoted whole from its first cell naming what it states: the heading lines above its last line, the
    serial number (「序号：19」) and the group label (「卫生资源配置」, a cell without a column name) it opens with go,
    as the cuts of a row leave them out (`row_runs`, `row_sentences`): its citation shows the heading path, and a
    serial number tells nothing. The row as it is when no cell after them names a column."""
    cells = row_cells(row)
    at = next((j for j, (a, b) in enumerate(cells) if "：" in row[a:b] and not SERIAL_CELL.match(row[a:b])), None)
    if at is None:
        return row
    return row[cells[at][0] :].strip()


def row_cells(row: str) -> list[tuple[int, int]]:
    """The (start, end) of each 「；」-separated cell of a table row's last line (its first lines are headings)."""
    start = row.rfind("\n") + 1
    cells = []
    for cell in row[start:].split("；"):
        cells.append((start, start + len(cell)))
        start += len(cell) + 1
    return cells


def remaining_runs(unit: str, said: tuple[int, int]) -> list[str]:
    """The verbatim runs of a sentence's pieces (`rag.direct.unit_pieces`) outside `said`, the opening's place in it."""
    pieces = unit_pieces(unit)
    keep = [j for j, (a, b, _) in enumerate(pieces) if not (said[0] <= a and b <= said[1])]
    return [q for q in piece_runs(unit, pieces, keep) if q.strip(_PUNCTUATION)]


def row_runs(
    row: str,
    question: Question,
    opening: str,
    kinds: frozenset[str],
    cfg: AnswerConfig = DEFAULT,
    named: str | None = None,
) -> list[str]:
    """The table row a direct opening comes from, cut to the cells the opening does not state that give a figure or
    hold the question's words (「工程名称」 naming what is asked, the 2020 baseline next to the 2025 target), with the
    unit cell when figures are kept, and its deadline cell (`lexicon.DEADLINE_COLUMN`, with `cfg.row_deadline`);
    adjoining cells stay one verbatim run; a row's serial number and group label go,
    and a long cell (over `cfg.row_cell_chars`) is cut like a sentence (`value_runs`). When nothing is left the
    opening says it all: the verbatim opening piece stands for the row (cited, not repeated: `rag.answer._assemble`).
    The indicator cell the opening names (`named`, verbatim: `rag.direct.with_indicator`) goes too: the opening says
    it."""
    cells = row_cells(row)
    keep = []
    own: list[tuple[int, list[str]]] = []  # the opening's own cell, when it says more than the opening
    said = key_bigrams(opening)
    for j, (a, b) in enumerate(cells):
        cell = row[a:b]
        if SERIAL_CELL.match(cell) or "：" not in cell:
            continue  # the row's serial number, or its group label (a cell without a column name: 「卫生资源配置」)
        if _says_no_more(cell, opening, cfg) or cell == named:
            continue
        if opening in cell:
            # a long cell the opening is a piece of (「主要任务：40. …，到2025年，…比例达到20%。」): quoted by what
            # the opening does not say, like the sentence an opening comes from, never joined to the cells beside it
            value = cell.partition("：")[2]
            text = value if opening in value else cell  # without its column name (and so its enumerator 「40.」)
            at = text.find(opening)
            own.append((j, value_runs(text, question, kinds, cfg, (at, at + len(opening)))))
            continue
        # a figure of a kind asked, or words of the question the opening does not hold (what the value is of:
        # 「指标：城市绿地率」), or the row's deadline (「完成时限：2025 年」): a date answers no 「多少」, but it
        # says by when the row's figure is to be reached, as 「到2025年」 qualifies a sentence's target (`value_runs`)
        if (
            states_value(cell, question, kinds)
            or (key_bigrams(cell) & question.asked) - said
            or (cfg.row_deadline and DEADLINE_COLUMN.search(cell.partition("：")[0]) and _dates_anew(cell, opening))
        ):
            keep.append(j)
    if any(numbers_in(row[cells[j][0] : cells[j][1]]) for j in keep):
        keep += [j for j, (a, b) in enumerate(cells) if UNIT_COLUMN.match(row[a:b].partition("：")[0])]
    placed: list[tuple[int, list[str]]] = list(own)
    for run in _adjoining(sorted(set(keep))):
        a, b = cells[run[0]][0], cells[run[-1]][1]
        if len(run) == 1 and b - a > cfg.row_cell_chars:
            value = row[a:b].partition("：")[2] or row[a:b]  # the cell's text without its column name
            placed.append((run[0], [q for q in value_runs(value, question, kinds, cfg) if q != opening]))
        else:
            placed.append((run[0], [row[a:b]]))
    out = [q for _, quotes in sorted(placed, key=lambda t: t[0]) for q in quotes]
    return out or [opening]


def _dates_anew(cell: str, opening: str) -> bool:
    """Whether a deadline cell states a date (a figure) the opening does not (「完成时限：2025年」 under 「到2025年，…
    达到20%」 says nothing new)."""
    return bool(DIGIT.search(cell)) and not numbers_in(cell) <= numbers_in(opening)


def piece_runs(unit: str, pieces: Sequence[tuple[int, int, str]], keep: Iterable[int]) -> list[str]:
    """The verbatim text of each run of adjoining pieces of `unit` (`rag.direct.unit_pieces`) among `keep`."""
    out = []
    for run in _adjoining(sorted(keep)):
        a, b = pieces[run[0]][0], pieces[run[-1]][1]
        end = b + 1 if b < len(unit) and FULL_STOP.match(unit[b]) else b  # a sentence's own full stop stays
        out.append(unit[a:end].strip())
    return out


def _adjoining(indexes: list[int]) -> list[list[int]]:
    """Sorted indexes grouped into runs of consecutive ones."""
    runs: list[list[int]] = []
    for j in indexes:
        if runs and runs[-1][-1] == j - 1:
            runs[-1].append(j)
        else:
            runs.append([j])
    return runs


def value_runs(
    unit: str,
    question: Question,
    kinds: frozenset[str],
    cfg: AnswerConfig = DEFAULT,
    said: tuple[int, int] | None = None,
) -> list[str]:
    """The verbatim runs of a sentence's pieces that state a value (see `cut_to_values`); the sentence whole when
    none does. Pieces within `said` (the opening's place in the sentence) are left out: [] when nothing else is."""
    pieces = unit_pieces(unit)
    keep: set[int] = set()
    explained: set[int] = set()  # value pieces kept with the piece before them, which names what they are of
    for j, (a, b, _) in enumerate(pieces):
        piece = unit[a:b]
        if numbers_in(piece) or states_value(piece, question, kinds):
            keep.add(j)
            if not (numbers_in(piece) - question.figures) or qualifies(piece, cfg):
                continue  # 「到2025年」: kept as the value's qualifier, it is no value to explain
            if j > 0 and PIECE_JOIN.match(pieces[j][2]):
                a0, b0, _ = pieces[j - 1]
                if (key_bigrams(unit[a0:b0]) & question.asked) - key_bigrams(piece):
                    keep.add(j - 1)  # the piece before, across a comma, names what the value is of
                    explained.add(j)
    if not keep:
        return [unit]
    if said is not None:
        # what the opening says goes, unless the piece naming what it is of stays (the opening does not name it)
        stated = numbers_in(unit[said[0] : said[1]])
        covered = {
            j
            for j in keep
            if (said[0] <= pieces[j][0] and pieces[j][1] <= said[1])
            # a piece the opening holds all but an aside of (the opening stops before 「（牵头单位：…」): its figures
            # are all the opening's
            or (
                pieces[j][0] < said[1]
                and said[0] < pieces[j][1]
                and numbers_in(unit[pieces[j][0] : pieces[j][1]]) <= stated
            )
        }
        if cfg.requote_explained:
            keep = {j for j in keep if j not in covered or (j in explained and j - 1 not in covered)}
        else:
            # the opening states the value already: quoted again beside the piece naming what it is of, it was said
            # twice; that piece alone now says what the opening's value is of
            keep = {j for j in keep if j not in covered}
    return piece_runs(unit, pieces, keep)
