#!/usr/bin/env bash
# Sets up the machine and runs every DeAI check and test:
#   1. formatting: cargo fmt --check of the chain's workspace, the worker and the fuzzer,
#      taplo fmt --check of every TOML file (taplo.toml), and zepter's check that every
#      crate passes std/runtime-benchmarks/try-runtime on to its dependencies
#   2. the release builds of deai-node (with the runtime Wasm) and deai-worker
#   3. lints (clippy with the workspace lints, warnings are errors) of the chain's
#      workspace, of the pallets again with `runtime-benchmarks,try-runtime`, of the
#      worker and of the fuzzer
#   4. Rust tests of every crate (including the chain-spec and worker-metadata
#      freshness checks), of every pallet again with `runtime-benchmarks,try-runtime`
#      (each benchmark runs once as a test on the pallet's mock), and of the worker
#   5. the runtime fuzzer (fuzz/): its regression seeds and a fixed run of
#      $DEAI_FUZZ_CASES random cases (default 300) on the native runtime, with every
#      block's invariants checked (scripts/fuzz.sh runs longer ones)
#   6. the fast-runtime Wasm and its chain spec (scripts/fast-runtime.sh), for governance
#      and the liveness fault scenario
#   7. the polkadot-js end-to-end tests against a real `deai-node` (--dev, and the
#      fast-runtime local_testnet spec for governance), with real `deai-worker`
#      processes in e2e/test/worker.test.js and the injected faults of
#      e2e/test/faults.test.js (scripts/faults.sh runs them alone)
# It prints how long each step took. `.ci/run` runs exactly this.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DEAI_ROOT"

declare -a timings=()
step() { # <name> <command...>
	local name="$1" start
	shift
	start=$(date +%s)
	log "── $name"
	"$@"
	timings+=("$(printf '%-34s %5ss' "$name" "$(($(date +%s) - start))")")
}
summary() {
	log "step timings:"
	local t
	for t in "${timings[@]}"; do log "  $t"; done
}
trap summary EXIT

step "setup" scripts/setup.sh
WORKER=(--manifest-path worker/Cargo.toml)
FUZZ=(--manifest-path fuzz/Cargo.toml)
# Every DeAI pallet (-p pallet-x ...), with the features the node's build leaves off:
# their benchmarks run as tests (impl_benchmark_test_suite!) and the try-runtime code.
pallets="$(deai_pallets)"
PALLETS=()
while read -r pallet; do PALLETS+=(-p "$(pallet_crate "$pallet")"); done <<<"$pallets"
PALLET_FEATURES=(--features runtime-benchmarks,try-runtime)
step "fmt" cargo fmt --all --check
step "fmt (worker)" cargo fmt "${WORKER[@]}" --all --check
step "fmt (fuzz)" cargo fmt "${FUZZ[@]}" --all --check
step "fmt (TOML, taplo)" env RUST_LOG=warn "$DEAI_TAPLO" fmt --check
step "features (zepter)" zepter_check Cargo.toml
step "features (zepter, worker)" zepter_check worker/Cargo.toml
step "features (zepter, fuzz)" zepter_check fuzz/Cargo.toml
step "build (node + runtime Wasm)" build_node
step "build (worker)" build_worker
# After the build, so the runtime's build script finds its Wasm already built.
step "clippy" cargo clippy --locked --release --workspace --all-targets -- -D warnings
step "clippy (pallets, benchmarks)" cargo clippy --locked --release "${PALLETS[@]}" "${PALLET_FEATURES[@]}" \
	--all-targets -- -D warnings
step "clippy (worker)" cargo clippy --locked --release "${WORKER[@]}" --all-targets -- -D warnings
step "rust tests" cargo test --locked --release --workspace
step "rust tests (pallets, benchmarks)" cargo test --locked --release "${PALLETS[@]}" "${PALLET_FEATURES[@]}"
step "rust tests (worker)" cargo test --locked --release "${WORKER[@]}"
# The fuzzer runs the runtime natively: no Wasm is built for it.
step "clippy (fuzz)" env SKIP_WASM_BUILD=1 cargo clippy --locked --release "${FUZZ[@]}" --all-targets -- -D warnings
step "fuzz regressions" env SKIP_WASM_BUILD=1 cargo test --locked --release "${FUZZ[@]}"
step "fuzz run" scripts/fuzz.sh --iterations "${DEAI_FUZZ_CASES:-300}"
step "fast-runtime Wasm + spec" scripts/fast-runtime.sh
# DEAI_NODE, DEAI_WORKER and DEAI_FAST_CHAIN_SPEC come from common.sh.
step "e2e (polkadot-js)" npm --prefix e2e test
log "all checks passed"
