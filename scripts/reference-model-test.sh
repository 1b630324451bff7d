#!/usr/bin/env bash
# Fetches the reference model (all-MiniLM-L6-v2, 87 MB, not in the repository or in CI)
# and checks that the worker's embeddings match the ones sentence-transformers publishes:
#
#   scripts/reference-model-test.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$DEAI_ROOT/scripts/fetch-model.sh" >/dev/null
export DEAI_REFERENCE_MODEL_DIR="${DEAI_MODELS_DIR:-$HOME/.cache/deai/models}/all-minilm-l6-v2"
cd "$DEAI_ROOT"
cargo test --locked --release --manifest-path worker/Cargo.toml --test reference_model -- --ignored
