#!/usr/bin/env bash
# Fuzzes the native DeAI runtime (fuzz/, see its crate docs): random blocks of signed calls
# to every DeAI pallet and balances, every block checked (no panic, weight and length
# within limits, total issuance conserved and backed, every pallet's try_state).
#
#   scripts/fuzz.sh                                  300 cases from seed 1
#   scripts/fuzz.sh --seed 1000 --iterations 20000   a long run
#   scripts/fuzz.sh replay 4242                      replay one failing seed
#
# Exits non-zero on the first failing case and prints its seed. Builds the harness when
# needed (natively, with try-runtime; no Wasm).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DEAI_ROOT"

args=("$@")
if [ "${#args[@]}" -eq 0 ] || [[ "${args[0]}" == --* ]]; then
	args=(run "${args[@]}")
fi
SKIP_WASM_BUILD=1 cargo build --locked --release --manifest-path fuzz/Cargo.toml --bin deai-runtime-fuzz
"$CARGO_TARGET_DIR/release/deai-runtime-fuzz" "${args[@]}"
