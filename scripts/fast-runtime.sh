#!/usr/bin/env bash
# Builds the runtime Wasm with the `fast-runtime` feature (governance periods of blocks
# instead of days) and writes a `local_testnet` chain spec that runs it, for the
# governance end-to-end tests and for trying governance by hand:
#
#   scripts/fast-runtime.sh
#   "$CARGO_TARGET_DIR/release/deai-node" --chain "$CARGO_TARGET_DIR/fast-runtime/local-fast.json" \
#       --dev-block-time 3000 --tmp
#
# The node is the normal deai-node: it runs whatever Wasm a chain spec carries. The Wasm
# is built in a target directory of its own ($DEAI_FAST_TARGET_DIR, default
# `$HOME/.cache/deai/fast-target`) with `cargo check`, whose build script compiles the
# Wasm for real while the native side is only type-checked; the node's build is left
# alone. Writes, in `$CARGO_TARGET_DIR/fast-runtime/`:
#   deai_runtime_fast.compact.compressed.wasm   the Wasm
#   local-fast.json                             the chain spec (local_testnet preset; the
#                                               Wasm is built as a production one, without
#                                               the sudo pallet; $DEAI_FAST_CHAIN_SPEC names it)
#   deai_runtime_next.compact.compressed.wasm       the node's runtime, spec_version + 1
#   deai_runtime_fast_next.compact.compressed.wasm  the fast runtime, spec_version + 1
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

FAST_TARGET="${DEAI_FAST_TARGET_DIR:-$HOME/.cache/deai/fast-target}"
OUT="$CARGO_TARGET_DIR/fast-runtime"
WASM="$OUT/deai_runtime_fast.compact.compressed.wasm"
SPEC="$DEAI_FAST_CHAIN_SPEC"
mkdir -p "$OUT"

# A cold fast target starts from the node build's Wasm dependencies: the runtime's Wasm
# build (substrate-wasm-builder's own cargo project under wbuild/) compiles the same
# polkadot-sdk crates with the same flags whatever the runtime's features, so only the
# runtime crate itself is compiled again per variant. Seeded once; cargo rebuilds anything
# whose fingerprint differs.
seed_wasm_dependencies() {
	local from="$CARGO_TARGET_DIR/release/wbuild/deai-runtime/target"
	local to="$FAST_TARGET/release/wbuild/deai-runtime/target"
	if [ ! -d "$to" ] && [ -d "$from" ]; then
		log "seeding $to from the node build's Wasm dependencies"
		mkdir -p "$(dirname "$to")"
		cp -a "$from" "$to.tmp" && mv "$to.tmp" "$to"
	fi
}
seed_wasm_dependencies

# Builds the Wasm with `features` (comma-separated) and copies it to `out`.
wasm() { # <features> <out>
	log "building the runtime Wasm with features $1 (in $FAST_TARGET)"
	(cd "$DEAI_ROOT" && CARGO_TARGET_DIR="$FAST_TARGET" \
		cargo check --locked --release -p deai-runtime --features "$1")
	cp "$FAST_TARGET/release/wbuild/deai-runtime/deai_runtime.compact.compressed.wasm" "$2"
}
wasm fast-runtime "$WASM"
# The upgrade rehearsals: the same code one spec_version later, for the runtime-upgrade
# tests (e2e/test/upgrade.test.js): by sudo on the dev chain (so its next runtime keeps the
# node's `dev-sudo`), by governance on the fast one.
wasm dev-sudo,upgrade-rehearsal "$OUT/deai_runtime_next.compact.compressed.wasm"
wasm fast-runtime,upgrade-rehearsal "$OUT/deai_runtime_fast_next.compact.compressed.wasm"

ensure_node
"$DEAI_NODE" chain-spec-builder --chain-spec-path "$SPEC.tmp" create \
	--chain-name "DeAI Local (fast governance)" --chain-id deai_local_fast -t local \
	--relay-chain rococo-local --para-id 2000 \
	--properties tokenSymbol=DEAI,tokenDecimals=12,ss58Format=42 \
	--runtime "$WASM" named-preset local_testnet >/dev/null ||
	die "chain-spec-builder could not create the fast-runtime chain spec"
mv "$SPEC.tmp" "$SPEC"
log "wrote $SPEC ($(wc -c <"$SPEC") bytes)"
