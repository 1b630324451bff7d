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

# Each scenario is the e2e test whose title starts with the tag `[fault:<name>]`; the
# tags, and the file each is in, are read from e2e/test/*.test.js.
declare -A FILE=()
while IFS=: read -r file tag; do
	name="${tag#\[fault:}"
	FILE[${name%]}]="$file"
done < <(grep -o '\[fault:[a-z-]*\]' e2e/test/*.test.js)
[ "${#FILE[@]}" -gt 0 ] || die "no test in e2e/test/ is tagged [fault:<name>]"
scenarios=("$@")
[ "${#scenarios[@]}" -gt 0 ] || mapfile -t scenarios < <(printf '%s\n' "${!FILE[@]}" | sort)
for s in "${scenarios[@]}"; do
	[ -n "${FILE[$s]+x}" ] || die "unknown scenario '$s' (known: $(printf '%s\n' "${!FILE[@]}" | sort | tr '\n' ' '))"
done

scripts/setup.sh
ensure_node
ensure_worker
ensure_fast_spec

for s in "${scenarios[@]}"; do
	log "── fault scenario: $s (${FILE[$s]})"
	# The file's set-up runs whichever test the pattern picks.
	node --test --test-concurrency=1 --test-name-pattern="\\[fault:$s\\] " "${FILE[$s]}" ||
		die "fault scenario '$s' failed"
done
log "fault scenarios passed: ${scenarios[*]}"
