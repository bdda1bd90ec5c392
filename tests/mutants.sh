#!/bin/bash
# The six mutants issue #11 names (bugs the whole suite once missed), each applied to a clean copy of HEAD and run
# against the fast tests that pin them; every one must be killed. Usage: bash tests/mutants.sh (reports/mutation.md)
set -u
PY="${PY:-$(pwd)/.venv/bin/python}"
MUT="$(mktemp -d)"
trap 'rm -rf "$MUT"' EXIT
git archive HEAD | tar -x -C "$MUT"
cd "$MUT"
status=0
FAST="tests/rag/test_seams.py tests/eval/test_metric_mutants.py tests/index/test_decode.py tests/api/test_upload_limit.py"
V=tests/index/test_validity.py
declare -a NAMES=(year_boost citation_precision refusal_inverted repeats_never decode_controls upload_precheck
 same_day_repeal own_term_inherited repeal_after_verb year_end quoted_coverage card_span same_number_title
 group_row annex_cap longest_tail)
declare -a TESTS=("$FAST" "$FAST" "$FAST" "$FAST" "$FAST" "$FAST"
 "$V::test_a_repeal_signed_the_same_day_as_its_target_still_repeals_it"
 "$V::test_an_attachment_with_its_own_term_does_not_take_its_notices"
 "$V::test_a_document_cited_after_the_repeal_verb_is_not_repealed"
 "$V::test_the_earliest_stated_last_day_binds_and_year_end_is_31_december"
 "tests/index/test_names.py::test_a_quoted_title_in_another_order_names_nothing"
 "tests/index/test_cards.py::test_a_cards_source_span_covers_the_header_lines"
 "tests/index/test_lookup.py::test_title_words_pick_among_the_documents_of_one_number"
 "tests/index/test_documents.py::test_a_row_of_one_cell_labels_the_rows_below_it"
 "tests/index/test_headings.py::test_a_long_line_starting_with_annex_is_prose_not_an_annex_heading"
 "tests/index/test_doc_numbers.py::test_the_longest_known_tail_wins")
declare -a FILES=(rag/retriever.py eval/runner.py eval/runner.py rag/compose.py index/decode.py api/admin.py
 index/validity.py index/validity.py index/validity.py index/validity.py index/names.py index/cards.py index/lookup.py
 index/clauses.py index/headings.py index/doc_numbers.py)
declare -a FROM=(
 'dated = self.store.in_years(\[idx for idx, _ in ranking\], years)'
 'return good / len(citations)'
 'if not a.answer\["answerable"\]) / len(unanswerable)'
 'return len(a & b) > 0.8 \* max(1, min(len(a), len(b)))'
 'return controls <= len(sample) \* 0.01'
 'if declared and declared.isdigit() and int(declared) > limit + 64_000:'
 'target.signed <= repealer.signed'
 'if parent is not None and not effective and not expiry:'
 'cited = \[r for r in refs if text.find(r.text) < verb.start()\]'
 'return date(int(m.group("y")), 12, 31)'
 'if best >= QUOTED_COVERAGE:'
 'line_end=max(span)'
 'return \[d for d in same if title_score(title, d.title) == best\]'
 'if len(header) > 2 and len('
 'if m and len(text) <= 60:'
 'for start in range(1, issuer_end - MIN_ISSUER + 1):'
)
declare -a TO=(
 'dated = \[False\] * len(ranking)'
 'return 1.0'
 'if a.answer["answerable"]) / len(unanswerable)'
 'return False'
 'return True'
 'if False:'
 'target.signed < repealer.signed'
 'if parent is not None and not effective:'
 'cited = list(refs)'
 'return date(int(m.group("y")), 12, 1)'
 'if best >= 0.5:'
 'line_end=min(span)'
 'return list(same)'
 'if False and len('
 'if m:'
 'for start in reversed(range(1, issuer_end - MIN_ISSUER + 1)):'
)
for i in "${!NAMES[@]}"; do
  cp "${FILES[$i]}" "$MUT/.bak"
  sed -i "s|${FROM[$i]}|${TO[$i]}|" "${FILES[$i]}"
  if cmp -s "${FILES[$i]}" "$MUT/.bak"; then echo "${NAMES[$i]}: NOT APPLIED (the code moved: update this probe)"; status=1; continue; fi
  if HF_HUB_OFFLINE=1 PYTHONPATH=. "$PY" -m pytest -q -x -p no:cacheprovider -p no:randomly ${TESTS[$i]} > "$MUT/${NAMES[$i]}.log" 2>&1; then
    echo "${NAMES[$i]}: SURVIVED"; status=1
  else
    echo "${NAMES[$i]}: killed ($(grep -m1 -o 'FAILED [^ ]*' "$MUT/${NAMES[$i]}.log"))"
  fi
  cp "$MUT/.bak" "${FILES[$i]}"
done
exit $status
