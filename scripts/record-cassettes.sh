#!/usr/bin/env bash
# Re-record HTTP cassettes (tests marked @pytest.mark.vcr) against a REAL OpenAI-compatible server.
# Cassettes are only ever produced this way, never written or edited by hand.
#
#   scripts/record-cassettes.sh                        all cassette tests, against a local llama.cpp
#                                                      server with SmolLM2 that this script starts and stops
#   scripts/record-cassettes.sh tests/cli/test_ask.py  only these tests (any pytest arguments)
#   LLM_SERVER_MODEL_NAME=qwen1.5b scripts/record-cassettes.sh tests/e2e
#                                                      the end-to-end cassettes with a model that reads
#                                                      Chinese (see scripts/llm-server.sh for the models)
#   OPENAI_BASE_URL=https://api.deepseek.com/v1 OPENAI_API_KEY=sk-... BULLETIN_QA_CHAT_MODEL=deepseek-chat \
#       scripts/record-cassettes.sh                    against another provider, with your key
#
# RECORD_MODE=once records only missing cassettes (default: rewrite, i.e. record all again).
# The key goes to the server but never into a cassette: the vcr_config fixture drops Authorization.
# Each tests/cassettes/<module>/ that gets new cassettes also gets RECORDED_WITH.md naming the base
# URL, model, server and date; replays read the base URL and model back from it.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
MODE="${RECORD_MODE:-rewrite}"
PORT="${LLM_SERVER_PORT:-8765}"
started=$(mktemp)
server_pid=""
cleanup() {
    local status=$?  # the recording's status, not the stopped server's (143)
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; fi
    rm -f "$started"
    exit "$status"
}
trap cleanup EXIT

if [ -z "${OPENAI_BASE_URL:-}" ]; then
    # A fresh key per run: the server demands it, so the wrong-key test records a real 401.
    LLM_SERVER_API_KEY="sk-recording-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(8))')"
    export LLM_SERVER_API_KEY LLM_SERVER_PORT="$PORT"
    scripts/llm-server.sh install
    log_file="${TMPDIR:-/tmp}/bulletin-qa-llm-server.log"
    scripts/llm-server.sh serve >"$log_file" 2>&1 &
    server_pid=$!
    export OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1" OPENAI_API_KEY="$LLM_SERVER_API_KEY"
    # The alias of the model chosen by LLM_SERVER_MODEL_NAME (smollm2 unless set).
    BULLETIN_QA_CHAT_MODEL=$(scripts/llm-server.sh info | sed -n 's/^model: //p')
    export BULLETIN_QA_CHAT_MODEL
    "$PYTHON" - "$OPENAI_BASE_URL/models" "$OPENAI_API_KEY" <<'PY' || { cat "$log_file" >&2; exit 1; }
import sys, time, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": f"Bearer {sys.argv[2]}"})
for _ in range(240):  # up to 2 minutes for the model to load
    try:
        urllib.request.urlopen(request, timeout=2).read()
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit("record-cassettes: the llama.cpp server did not come up")
PY
    server_info=$(scripts/llm-server.sh info | grep -v '^model: ')
else
    : "${BULLETIN_QA_CHAT_MODEL:?set BULLETIN_QA_CHAT_MODEL to a model id the endpoint serves}"
    server_info="server: the endpoint at base_url"
fi

shown_url=$("$PYTHON" -c 'import sys; from bulletin_qa.llm.faults import display_url; print(display_url(sys.argv[1]))' \
    "$OPENAI_BASE_URL")
client=$("$PYTHON" -c 'import openai; print(f"openai {openai.__version__} (Python)")')
echo "record-cassettes: recording (mode $MODE) against $shown_url, model $BULLETIN_QA_CHAT_MODEL" >&2

status=0
"$PYTHON" -m pytest "${@:-tests}" -m vcr --record-mode="$MODE" -p no:cacheprovider -q || status=$?

for dir in tests/cassettes/*/; do
    [ -n "$(find "$dir" -name '*.yaml' -newer "$started" -print -quit)" ] || continue
    cat >"$dir/RECORDED_WITH.md" <<MD
# Recorded with

The cassettes in this folder were recorded by \`scripts/record-cassettes.sh\` from a real server.
Do not edit them by hand; record them again. Wire tests read \`base_url\` and \`model\` below on replay.

- base_url: $shown_url
- model: $BULLETIN_QA_CHAT_MODEL
$(sed 's/^/- /' <<<"$server_info")
- client: $client
- recorded: $(date -u +%Y-%m-%d)
- command: scripts/record-cassettes.sh${*:+ $*}
MD
    echo "record-cassettes: wrote $dir/RECORDED_WITH.md" >&2
done
exit "$status"
