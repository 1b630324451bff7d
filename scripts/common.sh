# Shared settings for the DeAI scripts. Source it; do not run it.
# shellcheck shell=bash

# The repository root, whatever directory the caller is in.
DEAI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEAI_ROOT

# One persistent target directory outside the checkout, shared by every build,
# so a fresh clone reuses what an earlier build compiled.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/deai/target}"

# The node binary every script runs.
DEAI_NODE="$CARGO_TARGET_DIR/release/deai-node"
export DEAI_NODE
# The off-chain worker binary (worker/ is a cargo workspace of its own).
DEAI_WORKER="$CARGO_TARGET_DIR/release/deai-worker"
export DEAI_WORKER

log() { printf '\033[1;34m[deai]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[deai] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Builds the node (and with it the runtime Wasm) in release mode. Every script
# builds with this one command so that cargo's feature resolution, and thus the
# compiled artifacts, are the same everywhere.
build_node() {
	log "building deai-node and the runtime Wasm (release; cold: about an hour on 2 cores)"
	(cd "$DEAI_ROOT" && cargo build --locked --release -p deai-node)
}

# Builds deai-worker in release mode (cold: about 12 minutes on 2 cores, after the node).
build_worker() {
	log "building deai-worker (release)"
	(cd "$DEAI_ROOT" && cargo build --locked --release --manifest-path worker/Cargo.toml)
}

# The relay-chain binaries zombienet runs: `polkadot` from crates.io at the
# release that matches our polkadot-sdk (2609: polkadot 41.0.0, polkadot-cli
# 42.0.0), installed outside the checkout with a target directory of its own.
export DEAI_RELAY_VERSION="${DEAI_RELAY_VERSION:-41.0.0}"
export DEAI_RELAY_ROOT="${DEAI_RELAY_ROOT:-$HOME/.cache/deai/relay}"
DEAI_RELAY_BIN="$DEAI_RELAY_ROOT/bin"
export DEAI_RELAY_BIN
