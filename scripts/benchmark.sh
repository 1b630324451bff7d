#!/usr/bin/env bash
# Measures the weights of the DeAI pallets on this machine and writes each
# pallet's `src/weights.rs` from `scripts/benchmark/weight-template.hbs`.
#
#   scripts/benchmark.sh [pallet ...]     default: every DeAI pallet
#
# Also measures `pallet_balances` in the same run, so that the DeAI calls can be
# compared with a plain transfer; that report goes to
# `$CARGO_TARGET_DIR/benchmarks/`, with every pallet's raw JSON results.
#
# How: the runtime Wasm is built once more with the `runtime-benchmarks`
# feature, in a target directory of its own ($DEAI_BENCH_TARGET_DIR, default
# `$HOME/.cache/deai/bench-target`) so that the node's build is left alone;
# `deai-node benchmark pallet --runtime <that wasm>` runs the benchmarks in it
# (see `node/src/benchmark.rs`). The node itself needs no extra feature, so this
# costs one extra runtime build, not a second node. The Wasm comes from
# `cargo check`: the runtime's build script compiles the Wasm for real, while
# the native side is only type-checked, which roughly halves the cold build.
#
# Environment: DEAI_BENCH_STEPS (default 50), DEAI_BENCH_REPEAT (default 20),
# DEAI_BENCH_TARGET_DIR.
set -euo pipefail
source "$(dirname "$0")/common.sh"

STEPS="${DEAI_BENCH_STEPS:-50}"
REPEAT="${DEAI_BENCH_REPEAT:-20}"
OUT="$CARGO_TARGET_DIR/benchmarks"
WASM="$OUT/deai_runtime_benchmarks.compact.compressed.wasm"
TEMPLATE="$DEAI_ROOT/scripts/benchmark/weight-template.hbs"

# The DeAI pallets are the ones runtime/src/benchmarks.rs lists (common.sh: deai_pallets).
known="$(deai_pallets)"
mapfile -t KNOWN <<<"$known"
if [ "$#" -gt 0 ]; then PALLETS=("$@"); else PALLETS=("${KNOWN[@]}"); fi
for pallet in "${PALLETS[@]}"; do
	printf '%s\n' "${KNOWN[@]}" | grep -qx "$pallet" || die "unknown pallet '$pallet'; known: ${KNOWN[*]}"
done

BENCH_TARGET="${DEAI_BENCH_TARGET_DIR:-$HOME/.cache/deai/bench-target}"
mkdir -p "$OUT"
log "building the runtime Wasm with runtime-benchmarks (in $BENCH_TARGET)"
(cd "$DEAI_ROOT" && CARGO_TARGET_DIR="$BENCH_TARGET" \
	cargo check --locked --release -p deai-runtime --features runtime-benchmarks)
cp "$BENCH_TARGET/release/wbuild/deai-runtime/deai_runtime.compact.compressed.wasm" "$WASM"
build_node

bench() {
	local pallet="$1" extrinsic="$2"
	shift 2
	log "benchmarking $pallet (steps $STEPS, repeat $REPEAT)"
	"$DEAI_NODE" benchmark pallet \
		--runtime "$WASM" \
		--genesis-builder-preset development \
		--pallet "$pallet" --extrinsic "$extrinsic" \
		--steps "$STEPS" --repeat "$REPEAT" \
		--json-file "$OUT/$pallet.json" \
		"$@"
}

start=$(date +%s)
bench pallet_balances transfer_keep_alive --output "$OUT/pallet_balances.rs"
for pallet in "${PALLETS[@]}"; do
	bench "$pallet" "*" --template "$TEMPLATE" --output "$(pallet_dir "$pallet")/src/weights.rs"
done
log "benchmarks took $(($(date +%s) - start)) s; reports in $OUT"
