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
declare -a NAMES=(year_boost citation_precision refusal_inverted repeats_never decode_controls upload_precheck)
declare -a FILES=(rag/retriever.py eval/runner.py eval/runner.py rag/compose.py index/decode.py api/admin.py)
declare -a FROM=(
 'hit = doc_year in years or any(y in self.store.texts\[idx\] for y in years)'
 'return good / len(citations)'
 'if not a.answer\["answerable"\]) / len(unanswerable)'
 'return len(a & b) > 0.8 \* max(1, min(len(a), len(b)))'
 'return controls <= len(sample) \* 0.01'
 'if declared and declared.isdigit() and int(declared) > limit + 64_000:'
)
declare -a TO=(
 'hit = False'
 'return 1.0'
 'if a.answer["answerable"]) / len(unanswerable)'
 'return False'
 'return True'
 'if False:'
)
for i in 0 1 2 3 4 5; do
  cp "${FILES[$i]}" "$MUT/.bak"
  sed -i "s|${FROM[$i]}|${TO[$i]}|" "${FILES[$i]}"
  if cmp -s "${FILES[$i]}" "$MUT/.bak"; then echo "${NAMES[$i]}: NOT APPLIED (the code moved: update this probe)"; status=1; continue; fi
  if HF_HUB_OFFLINE=1 PYTHONPATH=. "$PY" -m pytest -q -x -p no:cacheprovider $FAST > "$MUT/${NAMES[$i]}.log" 2>&1; then
    echo "${NAMES[$i]}: SURVIVED"; status=1
  else
    echo "${NAMES[$i]}: killed ($(grep -m1 -o 'FAILED [^ ]*' "$MUT/${NAMES[$i]}.log"))"
  fi
  cp "$MUT/.bak" "${FILES[$i]}"
done
exit $status
