#!/usr/bin/env bash
# Installs the relay-chain binaries zombienet needs (`polkadot`,
# `polkadot-prepare-worker`, `polkadot-execute-worker`) from crates.io at
# $DEAI_RELAY_VERSION into $DEAI_RELAY_ROOT/bin, with the lock file published
# with the crate. A second run finds them and returns at once.
#
# Cold, this is a long build on 2 cores (the node with the rococo and westend
# runtimes, native and Wasm): 77 min here (2026-12-01, sharing the cores with other
# builds; see zombienet/README.md). Its target directory ($DEAI_RELAY_ROOT/target) is kept, so an
# interrupted build resumes where it stopped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

want="polkadot $DEAI_RELAY_VERSION"
# cargo records what it installed under the root; `polkadot --version` prints the node's
# own version (1.25.1 for the crate's 41.0.0), not the crate's.
if grep -qF "\"$want (registry+" "$DEAI_RELAY_ROOT/.crates.toml" 2>/dev/null &&
	[ -x "$DEAI_RELAY_BIN/polkadot" ] && [ -x "$DEAI_RELAY_BIN/polkadot-prepare-worker" ] &&
	[ -x "$DEAI_RELAY_BIN/polkadot-execute-worker" ]; then
	log "relay binaries present: crate $want, $("$DEAI_RELAY_BIN/polkadot" --version | head -1) ($DEAI_RELAY_BIN)"
	exit 0
fi

"$DEAI_ROOT/scripts/setup.sh"
toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$DEAI_ROOT/rust-toolchain.toml")"
mkdir -p "$DEAI_RELAY_ROOT"
log "installing $want from crates.io into $DEAI_RELAY_BIN (cold: see README; target dir $DEAI_RELAY_ROOT/target)"
start=$(date +%s)
# The pinned toolchain builds the relay chain too: its runtimes need the same
# Wasm target, and a newer compiler is not known to link them.
RUSTUP_TOOLCHAIN="$toolchain" cargo install polkadot --version "=$DEAI_RELAY_VERSION" --locked \
	--root "$DEAI_RELAY_ROOT" --target-dir "$DEAI_RELAY_ROOT/target"
log "relay binaries installed in $(($(date +%s) - start)) s: $("$DEAI_RELAY_BIN/polkadot" --version | head -1)"
