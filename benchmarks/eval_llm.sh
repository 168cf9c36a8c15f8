#!/usr/bin/env bash
# The LLM-mode answers evals of benchmarks/RESULTS-evals.md ("LLM mode"), against the endpoint in
# OPENAI_BASE_URL (default: the Qwen server of `scripts/llm-server.sh --model qwen1.5b`, port 8766).
#
#   benchmarks/eval_llm.sh [OUT_DIR]      golden (36), RGB first 40 items (80 questions), news first 60 questions
#                                         over a 1,000-article slice; JSON reports land in OUT_DIR
#
# Fixed subsets, never re-picked after seeing results: the first 40 RGB items (each asked with its
# positives and with distractors only) and the first 60 news dev questions. LLM replies are cached
# (BULLETIN_QA_HOME/cache/llm.sqlite), so a re-run after a change to the checks costs no model time;
# the wall time per question is only meaningful on the run that asked the model.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-${TMPDIR:-/tmp}/bulletin-qa-llm-evals}"
mkdir -p "$OUT"
export OPENAI_BASE_URL="${OPENAI_BASE_URL:-http://127.0.0.1:8766/v1}"
export BULLETIN_QA_CHAT_MODEL="${BULLETIN_QA_CHAT_MODEL:-qwen2.5-coder-1.5b-instruct}"
export BULLETIN_QA_TIMEOUT="${BULLETIN_QA_TIMEOUT:-900}"   # one reply on 2 busy cores: up to ~2 min, queued more
export BULLETIN_QA_MAX_RETRIES="${BULLETIN_QA_MAX_RETRIES:-0}"
export BULLETIN_QA_MAX_TOKENS="${BULLETIN_QA_MAX_TOKENS:-256}"  # answers are short; a looping reply stops there
export HF_HUB_OFFLINE=1
BQA="${BQA:-bulletin-qa}"
HOME_DIR="$(python -c 'from bulletin_qa.settings import default_home; print(default_home())')"
NEWS_STORE="$HOME_DIR/evals/stores/news-first60-1000"

run() { local name=$1; shift; echo "eval_llm: $name" >&2; nice "$BQA" eval answers "$@" --out "$OUT/$name.json"; }
run golden-llm --dataset golden --llm
run rgb40-llm --dataset rgb --limit 40 --llm
run news60-llm --dataset news --limit 60 --articles 1000 --store "$NEWS_STORE" --llm
