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

# The fast-runtime `local_testnet` chain spec that scripts/fast-runtime.sh writes, for
# the governance and liveness tests (the e2e tests read this variable too).
DEAI_FAST_CHAIN_SPEC="${DEAI_FAST_CHAIN_SPEC:-$CARGO_TARGET_DIR/fast-runtime/local-fast.json}"
export DEAI_FAST_CHAIN_SPEC

# What a script needs before it runs, built only when it is missing (a script that
# must test the current sources calls build_node/build_worker instead).
ensure_node() { [ -x "$DEAI_NODE" ] || build_node; }
ensure_worker() { [ -x "$DEAI_WORKER" ] || build_worker; }
ensure_fast_spec() { [ -f "$DEAI_FAST_CHAIN_SPEC" ] || "$DEAI_ROOT/scripts/fast-runtime.sh"; }

# Installs the npm packages of <dir> from its committed package-lock.json when they
# are missing or older than the lock file.
npm_ci_if_stale() { # <dir>
	local dir="$1"
	[ -f "$dir/package-lock.json" ] || die "$dir has no package-lock.json"
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
		log "installing the npm packages of ${dir#"$DEAI_ROOT"/} (from its package-lock.json)"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
}

# The DeAI pallets, one per line as the runtime names them (pallet_inference), in the
# order of the runtime's benchmark list (runtime/src/benchmarks.rs), which is the one
# place they are listed: a crate under pallets/ that is missing there is an error.
deai_pallets() {
	local listed dir name
	listed="$(sed -n 's/^[[:space:]]*add_benchmark!(params, batches, \(pallet_[a-z_]*\),.*/\1/p' \
		"$DEAI_ROOT/runtime/src/benchmarks.rs")"
	for dir in "$DEAI_ROOT"/pallets/*/; do
		name="pallet_$(basename "$dir" | tr - _)"
		grep -qx "$name" <<<"$listed" ||
			die "${dir#"$DEAI_ROOT"/} has no add_benchmark! line in runtime/src/benchmarks.rs"
	done
	while read -r name; do
		[ -d "$(pallet_dir "$name")" ] && echo "$name"
	done <<<"$listed"
	return 0
}
# The crate directory of a DeAI pallet: pallet_model_registry -> pallets/model-registry.
pallet_dir() { # <pallet_name>
	local short="${1#pallet_}"
	echo "$DEAI_ROOT/pallets/${short//_/-}"
}
# The cargo package of a DeAI pallet: pallet_model_registry -> pallet-model-registry.
pallet_crate() { echo "${1//_/-}"; }

# Command-line tools from PyPI, in a virtualenv of their own outside the checkout
# (scripts/setup.sh installs them): taplo checks the TOML files' format.
DEAI_TOOLS_VENV="${DEAI_TOOLS_VENV:-$HOME/.cache/deai/tools/venv}"
export DEAI_TOOLS_VENV
DEAI_TAPLO_VERSION=0.9.3
DEAI_TAPLO="$DEAI_TOOLS_VENV/bin/taplo"
export DEAI_TAPLO
# zepter checks that every crate passes its `std`, `runtime-benchmarks` and `try-runtime`
# features on to the dependencies that have them; from crates.io, built once into its own
# folder (about 2 minutes cold).
DEAI_ZEPTER_VERSION=1.88.2
DEAI_ZEPTER_ROOT="${DEAI_ZEPTER_ROOT:-$HOME/.cache/deai/tools/zepter}"
DEAI_ZEPTER="$DEAI_ZEPTER_ROOT/bin/zepter"
export DEAI_ZEPTER

# The feature-propagation check of one cargo workspace (its root manifest as argument):
# a crate whose feature does not reach a dependency that has it fails.
zepter_check() {
	"$DEAI_ZEPTER" lint propagate-feature --manifest-path "$1" \
		--features std,runtime-benchmarks,try-runtime \
		--left-side-feature-missing=ignore --left-side-outside-workspace=ignore \
		--offline --locked --show-path --quiet
}

# The relay-chain binaries zombienet runs: `polkadot` from crates.io at the
# release that matches our polkadot-sdk (2609: polkadot 41.0.0, polkadot-cli
# 42.0.0), installed outside the checkout with a target directory of its own.
export DEAI_RELAY_VERSION="${DEAI_RELAY_VERSION:-41.0.0}"
export DEAI_RELAY_ROOT="${DEAI_RELAY_ROOT:-$HOME/.cache/deai/relay}"
DEAI_RELAY_BIN="$DEAI_RELAY_ROOT/bin"
export DEAI_RELAY_BIN
