"""The knobs of retrieval and answering, as data: `ReadingConfig` (limits on a question's reading), `RetrieverConfig`
(the hybrid search) and `AnswerConfig` (how many clauses answering reads, and the shares, weights and clause limits of
the composer and of refusal); each with its one default (`READING`, `RETRIEVAL`, `DEFAULT`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from index.store import Tokenizer

Fusion = Literal["rrf", "sum"]


@dataclass(frozen=True)
class ReadingConfig:
    """Limits on the work one question's reading (`rag.question.Question.read`) may cause, whatever its text: a
    question of up to the API's 2,000 characters must not hold a core for seconds (reports/reliability.md). The
    defaults are several times the largest counts of any dev question, so no real question meets them."""

    # jieba's part-of-speech tagger finds words it does not know with an HMM whose Viterbi pass costs, per
    # character, the tag states of that character times the previous one's: up to 256 x 256 for a rare character
    # (about 13 ms each; 2,000 of them took 27 s). A question whose estimated steps (`rag.question.tagging_work`,
    # roughly a million a second) exceed this is tagged without the HMM (dictionary words only, ~1,000x faster):
    # its words are read more coarsely, but it is still answered. Dev questions reach at most ~56,000.
    hmm_work: int = 250_000
    # The parts of a several-part question read (「A、B和C分别…」): the first this many; dev questions have at most 4.
    # Each part is scored against every candidate sentence, so hundreds of them cost seconds.
    max_parts: int = 12


@dataclass(frozen=True)
class RetrieverConfig:
    """Knobs of the hybrid search (the benchmark compares settings of these)."""

    candidates: int = 50
    rrf_k: int = 60
    # Defaults chosen on the gold set (reports/retrieval.md): dense USE alone is weak on this text, so it joins
    # the two BM25 tokenisations at a third of their weight in a normalised score sum.
    fusion: Fusion = "sum"
    bm25: tuple[Tokenizer, ...] = ("jieba", "char")
    dense: bool = True
    understand: bool = True
    year_boost: float = 0.1
    dense_weight: float = 0.3  # weight of the dense list in the fusion (BM25 lists weigh 1.0)
    doc_number_boost: float = 0.5  # a clause of a document whose 文号 the question names scores this much more
    # A document card (index.cards) holds the title, so it matches any question naming the document; for a question
    # about the content it counts this much of its score (a metadata question puts the named cards first instead).
    card_weight: float = 0.3
    # The documents a question names (index.names) are searched on their own too and their clauses scored more: by
    # 文号 or full 《》 title `doc_number_boost`, by abbreviated title (「助企纾困十条」) `title_boost`, at most
    # `max_named` of them. An abbreviation names a title when its character pairs the title holds weigh (by rarity
    # among documents) at least `name_weight`, or when it ends with the title's type word (「…规划」) after words
    # weighing at least `typed_name_weight`.
    title_boost: float = 0.3
    name_weight: float = 7.0
    # A comparison's side (Question.sides) is the name of what it compares, so its own words name a document on
    # less weight: 「三北工程协调机制」, 「零碳园区领导小组」 say their titles' rare pairs in order but weigh 5.5–6.9.
    # The other tests of a name hold (the piece in order in at most two families' titles, MIN_PIECE characters).
    side_name_weight: float = 5.0
    typed_name_weight: float = 1.5
    max_named: int = 3
    # A chunk that says nothing of its own (a heading alone, unless a list is asked; the 「现将《…》印发给你们」 of a
    # notice or a lead-in 「…通知如下：」, unless it also names a date or meeting) counts this much of its score.
    hollow_weight: float = 0.5
    # A clause longer than this holding an issuing formula says more than the formula: never hollow.
    hollow_max_chars: int = 300
    # A question asking who holds a role (「组长是谁」: Question.roles): a candidate stating a holder of that role
    # (lexicon.holds_role) scores `role_boost` more, when it is of a document the question names or its text and
    # title hold at least `role_share` of the question's content bigrams (the group it asks about, not another one).
    role_boost: float = 1.0
    role_share: float = 0.5
    # Each side of a comparison (Question.sides) is searched on its own too; its candidates count this much of their
    # score (0 turns the side searches off).
    side_weight: float = 1.0
    # The best this many chunks of each side's own search are kept among the hits (rag.retriever._search_sides).
    side_slots: int = 2
    # Each side's dense list from its own vector (embedded with the question); False: from the question's vector, so
    # no side is embedded and a side searched everywhere has the question's own dense list (measured in
    # reports/scale_search_perf14.md).
    side_vectors: bool = False
    # A person the question names (Question.persons): the best chunk holding the name of each of this many documents
    # is kept among the hits (rag.retriever._person_rows).
    person_documents: int = 4
    role_candidates: int = 10  # chunks of the named documents searched for by the role's words


@dataclass(frozen=True)
class AnswerConfig:
    """Knobs of extractive answers and refusal (calibrated on the gold set, reports/eval.md).

    `depth` is how many hits the composer and the refusal checks read; the service sets it to the request's `k`.
    """

    depth: int = 8
    # composer
    max_sentences: int = 4
    short_clause: int = 220  # a clause this short is quoted whole rather than sentence by sentence
    label_chars: int = 16  # a lead sentence this short names its subject only: the sentence after it is quoted too
    rank_decay: float = 0.35  # a hit at rank i weighs 1 / (1 + rank_decay * i): a better sentence lower down wins
    heading_weight: float = 0.5  # a question word found only in the clause's heading path counts this much
    explains_bonus: float = 0.5  # a sentence that explains a term the question quotes
    number_bonus: float = 0.15  # a sentence with a figure, for a number question
    list_bonus: float = 0.15  # a sentence naming several items (lexicon.ENUMERATION), for a list question
    # ... more when its items are of the noun the question asks items of (「下设哪几个工作组」: 「…预警组、…响应组」)
    list_head_bonus: float = 0.3
    list_item_chars: int = 8  # a list item is told from another by its first characters (restatements differ after)
    responsible_bonus: float = 0.25  # a sentence naming 牵头/责任单位, for a 「谁负责」 question
    role_bonus: float = 0.5  # a sentence or row stating who holds the role asked (「组 长：李杰翔」 for 「组长是谁」)
    year_bonus: float = 0.15  # a sentence with the asked year (the same taken off one with another year)
    # ... a sentence stating no year being of the year its clause opens with (「到2035年，…。产值达到1200亿元。」)
    opening_dates: bool = True
    boilerplate_weight: float = 0.5  # score kept by a sentence that only issues or forwards a document
    heading_only_weight: float = 0.5  # score kept by a clause that is only a heading
    part_min: float = 0.4  # share of a part's content bigrams a quote must hold to answer that part
    # a part's best quote holds at least this share of its distinguishing words (rarity-weighted; 0: no floor): the
    # bonuses of its kind of answer (a 「责任单位」 sentence, a sibling clause) alone reach part_min
    part_hold: float = 0.4
    sibling_bonus: float = 0.15  # a quote from the lead clause or one of its siblings, for a part of the question
    max_siblings: int = 8
    parent_share: float = 0.25  # share of the question a parent heading must name for its items to be listed
    max_list_chars: int = 1200  # the siblings of a list answer stop here
    # A quote from another document than the lead one must score at least this share of the best quote: a
    # question about one document is rarely answered by a stray sentence of another (citation precision).
    other_doc_share: float = 0.8
    same_doc_share: float = 0.5
    # A question naming its document (not a comparison, no person asked across documents): the units of a clause of
    # a document it does not name keep this share of their score (`units.document_weights`). The retriever boosts the
    # named document's clauses, but a sentence of another document restating one of them scores as high, sentence for
    # sentence, and led the answer with the wrong document.
    unnamed_doc_weight: float = 0.85
    # A clause that restates another retrieved document (its heading path or a 《》 title in its text holds at least
    # `restate_chars` characters of that document's title in a row: 「落实《某实施方案》，在…开展试点」, 「建设世界级
    # 盐湖产业基地」 in a later plan) keeps this share of its units' scores, unless the question names its document:
    # the original says it first and as decided.
    restating_weight: float = 0.85
    restate_chars: int = 8
    # A comparison (lexicon.COMPARES) gets the best quote of every retrieved document whose title shares at least
    # compared_title_bigrams of the question's bigrams and compared_title_share of the best-named document's count.
    compared_title_bigrams: int = 4
    compared_title_share: float = 0.5
    # A question naming its document by what it says (an appointment) is answered from the card of the first clause's
    # document when that clause holds this share of the question's title words (rag.cards.said_by).
    said_share: float = 0.6
    compared_distinct_bigrams: int = 2  # ... of which this many are not in the best-named document's title
    max_compared: int = 3
    # An answer comparing documents opens each document's first quote with its 文号 (comparison.document_labels): the
    # quotes alone do not say which document states which value.
    label_compared: bool = True
    # A side of a comparison (Question.sides) is spoken of by a quote holding this share of its distinguishing bigrams
    # (in the quote, its heading path or its document's title); each side gets the best such quote.
    side_share: float = 0.5
    side_min_bigrams: int = 2
    # A side names its own document (comparison.side_documents) when that document's title holds this share of the
    # side's bigrams; a table row whose indicator cell the question names less than indicator_share is about another
    # indicator, and comes after the other quotes of its document (「总产值」 of 「盐湖产业总产值」, not
    # 「农畜产品加工产值与农业总产值比」).
    side_title_share: float = 0.5
    indicator_share: float = 0.5
    # ... and that document's best quote for the side is added unless a chosen quote of it scores this share of it
    side_quote_share: float = 0.8
    # direct answers (rag.direct): the opening sentence of a typed question
    direct_max_chars: int = 54  # of the quoted piece: with its [n] and full stop the opening stays within 60
    qualifier_chars: int = 10  # a piece this short saying when (「到2025年」) is quoted with the value after it
    opening_without_layout: bool = True  # an opening starts after its item's column name and number (ITEM_LAYOUT)
    opening_indicator: bool = True  # a table row's value opens after the row's indicator (direct.with_indicator)
    opening_year: bool = True  # a yearless date opens with the one year its title states (direct.with_year)
    opening_statement: bool = True  # a roster entry or body cell opens said as a sentence (direct.as_statement)
    opening_asides: bool = True  # a （责任单位：…） aside scores as the sentence it closes (direct.with_asides)
    # ... unless the question names that indicator already: it holds this share of the indicator's content bigrams
    # (the indicator is then cited, not repeated; 1.01: always named)
    indicator_asked_share: float = 0.8
    direct_min_piece: int = 8  # a piece shorter than this is quoted with the piece before it (what it is of)
    direct_candidates: int = 12  # best-scored units searched for the value
    direct_share: float = 0.5  # ... scoring at least this share of the best unit
    direct_piece_weight: float = 1.0  # how much the piece's own hold on the question counts next to its unit's
    direct_rare_weight: float = 0.3  # ... and the unit's hold on the question's distinguishing (rare) words
    latest_year_bonus: float = 0.01  # a question naming no year: of a row's year cells, the latest opens (a tie-break)
    secondary_body_penalty: float = 0.1  # a 「配合单位」 piece, for a question asking who is responsible
    # a body opening from a table row: at most this many retrieved rows of the same item naming other bodies are quoted
    # with it, and another item's row is not (roles.body_rows; 0: off)
    co_body_rows: int = 4
    direct_pool: int = 2  # quotes (besides parts) whose units the opening is searched in
    # The lead of a typed question (units.measured): a candidate unit stating a value of an asked type scores this
    # many times the share of the question's distinguishing words (by rarity) held by what the value measures (its
    # piece; a row's indicator cell), so that the clause stating the asked value leads, not one restating the subject
    # with another value (0: off). Only the units of the usual few best quotes are candidates: letting the 8 best-scored
    # units in too lost dev citation precision (orig 0.919 → 0.909; reports/retrieval_kinds.md).
    lead_measure_weight: float = 1.0
    direct_max_sentences: int = 1  # quotes (besides those answering other parts) when the answer opens directly
    # ... then one quote per aspect left open: a unit scoring at least aspect_share of the best, stating a value of an
    # asked type not stated yet, holding distinguishing question words (units.rarity) worth aspect_gain of the total
    aspect_share: float = 0.5
    aspect_gain: float = 0.1
    aspect_hold: float = 0.5  # ... or as much of them as the lead holds, for a figure not stated yet (a sibling value)
    # ... or, scoring near the best unit: a question asking one thing (its opening answers it) takes only a near tie,
    # aspect_tie of the best, from the lead's document (the lead may be the wrong reading); one asking several things
    # (Question.asks_several) still takes a unit scoring aspect_hold of the best from any document, unless its parts are
    # all answered by the quotes so far. Scoring half the lead's score made a row of another indicator, the next target
    # of a plan or another body's roster a "sibling" of a one-thing answer (citation precision). With aspect_single
    # off, every question takes only the near tie; with aspect_parts_answered off, answered parts leave it loose.
    aspect_tie: float = 0.8
    aspect_single: bool = True
    aspect_parts_answered: bool = True
    # ... and a comparison of documents (comparison.side_documents, compared_documents) once each document is quoted
    aspect_documents_answered: bool = True
    # ... and no aspect is of another grade than the question asks (compose.of_another_grade: 「Ⅲ级」's figure for a
    # question asking the Ⅰ级 one) or a table row of an indicator the question does not name (its indicator cell held
    # less than indicator_share, the document title's words left out: 「钠产业」's row beside 「总产值」)
    # (aspect_indicators is off: round 17 measured it raising dev precision but neither held-out set's, and lowering
    # fresh12's recall by one item's share: a dev-only gain)
    other_grades_out: bool = True
    aspect_indicators: bool = False
    max_aspects: int = 3
    repeat_share: float = 0.8  # a quote the opening holds this share of is not repeated after it (answer._assemble)
    cut_to_values: bool = True  # after a direct opening, quoted sentences are cut to the pieces stating values
    cut_opening: bool = True  # ... the sentence the opening comes from to what the opening does not say
    cut_rows: bool = True  # ... and the table row it comes from to the cells it does not state (cuts.row_runs)
    row_deadline: bool = True  # ... keeping its deadline cell, which says by when its figure is to be reached
    drop_valueless: bool = True  # ... and a sentence of the opening's clause stating no value left out
    # a question of no value type (form general): a quoted sentence longer than this cut to its pieces holding at least
    # untyped_piece_bigrams of the question's content bigrams, each with the piece after it (0: never cut)
    untyped_cut_chars: int = 60
    untyped_piece_bigrams: int = 2
    untyped_unit_bigrams: int = 2  # ... and a clause quoted whole to its sentences holding this many (0: never)
    # ... of those, the ones holding at least this share of the distinguishing words (units.rarity) the best one holds,
    # for a question asking one thing: the sentence saying what is asked (「…在…会展中心开幕」 for 「…在哪儿开幕」),
    # not those naming only its subject, held by every clause read (0: every one holding untyped_unit_bigrams)
    untyped_unit_share: float = 0.5
    list_pieces: bool = True  # ... a list question's long sentence cut to those pieces as well (not its clause)
    defining_sentence: bool = True  # a definition question: a clause quoted whole by its sentences defining the term
    # ... and its long sentence that defines nothing (「…实行什么机制」 answered by 「严格执行…机制，对…」) cut to its
    # pieces like an untyped question's (untyped_cut_chars, untyped_piece_bigrams)
    definition_pieces: bool = True
    row_cell_chars: int = 60  # ... a cell longer than this cut to its pieces stating values, like a sentence
    # a quoted table row (not the one a direct opening comes from): a cell longer than row_cell_chars cut to its
    # sentences holding the most question bigrams (cuts.row_sentences)
    row_cell_sentences: bool = True
    # a table row quoted whole starts at its first cell naming a column: its heading lines, serial number and group
    # label go (cuts.without_row_labels; the citation shows the heading path)
    row_labels_out: bool = True
    # a table row's lone cell stating no figure whose value's content bigrams are at least this share the question's
    # is left out when another quote of its row stays: it restates what the question names (earning.
    # without_restating_cells; 0: off)
    restating_cell_share: float = 0.5
    # a quote ending in a bracketed note of the bodies responsible (「…不超过100万元（牵头单位：省财政厅）。」) ends
    # before it when the question asks no body or person and not what a clause says whole (earning.without_body_notes)
    body_notes_out: bool = True
    row_sentence_share: float = 0.5  # ... those holding at least this share of the bigrams the best one holds
    row_cell_slack: int = 8  # ... a cell holding the opening with fewer other characters than this says no more
    # ... a value piece of the opening's sentence that the opening states is quoted again with the piece naming what
    # it is of, when the opening could not take that piece (off: that piece alone is quoted; the opening says the value)
    requote_explained: bool = False
    # ... and, when every asked type is a figure or a time, a quote stating neither left out (cuts.with_figures)
    drop_figureless: bool = True
    # A clause cited after the first must add distinguishing question words worth this share (units.rarity) that the
    # clauses cited before it lack, when it is of another document than the lead's in a question comparing none, or
    # states no new value of a figure or time asked (earning.earning; 0: off). Citation precision: a clause restating
    # the subject without the asked value earns no citation.
    earn_gain: float = 0.1
    # After an opening stating a figure or a time (every asked type one of values.CUT_TYPES), a quote after the first
    # must add a fact the answer lacks: a figure not stated yet, or question words no earlier quote holds
    # (earning.adding_quotes). Off: every quote the composer chose stays.
    adding_only: bool = True
    # A citation lookup (rag.answer.lookup_answer) is the clause named, after its heading path: its citation names the
    # document (title, 文号), which a first line of its own said again (True: that line, and the clause's own number
    # in the heading path, as before; dev citation answers were near 3x gold, the line alone ~40 characters).
    lookup_head: bool = False
    # ... and the clause after the headings above it (True: 「第二章 建设资金筹集和安排：第七条 …」, as before;
    # False: the citation shows that path, as it shows a composed answer's, and the answer is 「第七条 …」, its own
    # heading first only when the clause does not open with it)
    lookup_path: bool = False
    # A status note (rag.status_note) asked of no day says that a document expired or was repealed; when is left to
    # the note's citation, which quotes the sentence setting it (True: 「有效期至…，」 / 「自…起」 in the line, ~15
    # characters on every answer from an expired document). A note dated by the request (「截至…」) keeps it.
    note_since: bool = False
    support_share: float = 0.8  # of a clause quoted whole, a sentence scoring this share of the best supports it
    # refusal
    # An absolute relevance floor, for questions the gazettes do not speak of at all: the typed checks decide the rest.
    # On dev no unanswerable question relies on it above 0.2 while colloquial answerable ones fall under 0.34
    # (reports/refusal.md; dev holds nine questions in that band, so the value rests on little).
    min_coverage: float = 0.2  # share of the question's content bigrams the best clause must hold
    min_words: float = 0.75  # ... or share of its naming words (a colloquial question shares few bigrams)
    relevant_coverage: float = 0.25  # a clause this close to the question is where its year or unit may be found
    relevant_share: float = 0.7  # ... and it holds at least this share of the best clause's coverage
    segment_bigrams: int = 3  # a segment of a question asking several figures is judged alone with this many
    # A typed question is answered by a sentence (or row) stating a value of its type with the word the value is of
    # and held_share of its other measured nouns (its rarest word is asked of the quotes: refusal._of_rarest).
    held_share: float = 0.5
    # ... and, when it names its source document by title words (「生态经济发展规划提出…」), a sentence of a document
    # whose title holds this share of that name's bigrams (or one the name resolved to)
    source_title_share: float = 0.5
    # refusals offer the nearest clauses
    see_also: int = 3
    see_also_quote: int = 120  # characters of each shown


# The answering knobs as calibrated: the `cfg` of every answering function (rag.answer, compose, refusal, …) called
# without one. The service passes its own (AnswerConfig with `depth` set to the request's `k`).
DEFAULT = AnswerConfig()
# The reading limits of every question read without its own (`rag.question.Question.read`).
READING = ReadingConfig()
# The search knobs of a `rag.retriever.Retriever` made without its own.
RETRIEVAL = RetrieverConfig()
