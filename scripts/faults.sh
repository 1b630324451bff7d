#!/usr/bin/env bash
# Runs the injected-fault scenarios against real deai-node and deai-worker processes,
# and exits non-zero as soon as an expectation fails:
#
#   scripts/faults.sh                  every scenario
#   scripts/faults.sh node-restart     the node is SIGKILLed mid-job and restarted on its database
#   scripts/faults.sh wrong-result     a worker alters its outputs: slashed, honest workers paid
#   scripts/faults.sh liveness         a worker stops past the liveness window (fast-runtime chain)
#   scripts/faults.sh worker-restart   a worker is SIGKILLed between commit and reveal
#
# Builds what is missing (the node, the worker, the fast-runtime chain spec). The same
# tests run in the test command (e2e/test/faults.test.js and e2e/test/worker.test.js).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DEAI_ROOT"

declare -A PATTERN=(
	[node-restart]='the chain, the job and its escrow survive'
	[wrong-result]='slashed for a wrong result'
	[liveness]='its job times out and settles without it'
	[worker-restart]='a worker killed between commit and reveal'
)
scenarios=("$@")
[ "${#scenarios[@]}" -gt 0 ] || scenarios=(node-restart wrong-result liveness worker-restart)
for s in "${scenarios[@]}"; do
	[ -n "${PATTERN[$s]+x}" ] || die "unknown scenario '$s' (known: ${!PATTERN[*]})"
done

scripts/setup.sh
[ -x "$DEAI_NODE" ] || build_node
[ -x "$DEAI_WORKER" ] || build_worker
FAST_SPEC="$CARGO_TARGET_DIR/fast-runtime/local-fast.json"
[ -f "$FAST_SPEC" ] || scripts/fast-runtime.sh

for s in "${scenarios[@]}"; do
	file=e2e/test/faults.test.js
	[ "$s" = worker-restart ] && file=e2e/test/worker.test.js
	log "── fault scenario: $s"
	# worker.test.js's set-up runs for every pattern; the pattern picks the scenario.
	DEAI_NODE="$DEAI_NODE" DEAI_WORKER="$DEAI_WORKER" DEAI_FAST_CHAIN_SPEC="$FAST_SPEC" \
		node --test --test-concurrency=1 --test-name-pattern="${PATTERN[$s]}" "$file" ||
		die "fault scenario '$s' failed"
done
log "fault scenarios passed: ${scenarios[*]}"
