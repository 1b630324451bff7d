#!/usr/bin/env bash
# The real measurement behind scripts/block-capacity.py: starts a fresh `deai-node --dev`
# (3-second blocks), fills its blocks with transfers, then result commitments, then
# reveals (e2e/tools/fill-blocks.js), prints how many of each landed per block, and stops
# the node. Extra arguments go to the tool (e.g. `--workers 64 --jobs 120`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DEAI_ROOT"
scripts/setup.sh >/dev/null
ensure_node

PORT="${DEAI_FILL_RPC_PORT:-9950}"
base="$(mktemp -d)"
"$DEAI_NODE" --dev --base-path "$base" --rpc-port "$PORT" --port 0 --no-prometheus --no-telemetry \
	--rpc-max-connections 2000 --pool-limit 20000 --pool-kbytes 200000 >"$base/node.log" 2>&1 &
node_pid=$!
cleanup() {
	kill "$node_pid" 2>/dev/null || true
	wait "$node_pid" 2>/dev/null || true
	rm -rf "$base"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
	curl -sf -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"system_health","params":[]}' \
		"http://127.0.0.1:$PORT" >/dev/null && break
	kill -0 "$node_pid" 2>/dev/null || { tail -30 "$base/node.log" >&2; die "deai-node exited"; }
	sleep 1
done
node e2e/tools/fill-blocks.js --url "ws://127.0.0.1:$PORT" "$@"
