"""The ranking measures of bench.refusal_signals, on made-up scores."""

from __future__ import annotations

from bench.refusal_signals import auc, cheapest_catch


def test_auc_is_the_chance_an_answerable_question_scores_higher() -> None:
    assert auc([0.1, 0.2], [0.3, 0.4]) == 1.0  # every answerable one above every unanswerable one
    assert auc([0.3, 0.4], [0.1, 0.2]) == 0.0
    assert auc([0.2], [0.2]) == 0.5  # a tie counts half
    assert auc([0.1, 0.5], [0.3]) == 0.5


def test_cheapest_catch_counts_the_answerable_questions_under_the_threshold() -> None:
    unanswerable, answerable = [0.1, 0.3, 0.6], [0.05, 0.2, 0.3, 0.5, 0.9]
    assert cheapest_catch(unanswerable, answerable, 1) == 1  # refusing at or below 0.1 refuses 0.05
    assert cheapest_catch(unanswerable, answerable, 2) == 3  # at or below 0.3: 0.05, 0.2 and 0.3
    assert cheapest_catch(unanswerable, answerable, 4) == -1  # there are only three to catch
