#!/usr/bin/env bash
# Sets up the machine, builds deai-node and deai-worker, fetches the reference model
# (all-MiniLM-L6-v2) and runs a DeAI development chain with three local workers serving it.
#
#   scripts/run-dev.sh [extra deai-node args...]
#
# Environment:
#   DEAI_RPC_PORT   WebSocket/HTTP RPC port (default 9944)
#   DEAI_SKIP_BUILD set to 1 to run the binaries already built
#   DEAI_DEV_DIR    where the node's database, the workers' keys, configs, stores and logs
#                   go (default: a fresh temporary directory, kept after exit)
#   DEAI_WORKERS    how many workers to start (default 3, at most 3: Dave, Eve, Ferdie)
#
# The chain uses the embedded `development` preset (Alice collates and holds sudo, the
# well-known dev accounts are funded). Blocks are sealed every 3 s. Bob registers the
# model with the real blake2-256 hash of its weights; Dave, Eve and Ferdie register as
# workers (2,000 DEAI bond each) and run `deai-worker run`. Stop everything with Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$DEAI_ROOT/scripts/setup.sh"
if [ "${DEAI_SKIP_BUILD:-0}" != 1 ]; then
	build_node
	build_worker
fi
[ -x "$DEAI_NODE" ] || die "no node at $DEAI_NODE; run without DEAI_SKIP_BUILD=1"
[ -x "$DEAI_WORKER" ] || die "no worker at $DEAI_WORKER; run without DEAI_SKIP_BUILD=1"

models_dir="${DEAI_MODELS_DIR:-$HOME/.cache/deai/models}"
"$DEAI_ROOT/scripts/fetch-model.sh" "$models_dir" >/dev/null
model_dir="$models_dir/all-minilm-l6-v2"
hash="$("$DEAI_WORKER" hash "$model_dir")"

port="${DEAI_RPC_PORT:-9944}"
endpoint="ws://127.0.0.1:$port"
dir="${DEAI_DEV_DIR:-$(mktemp -d /tmp/deai-dev-XXXXXX)}"
mkdir -p "$dir"
count="${DEAI_WORKERS:-3}"

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	log "stopped; state and logs kept in $dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting the dev chain (log: $dir/node.log)"
"$DEAI_NODE" --dev --base-path "$dir/node" --rpc-port "$port" --rpc-cors all --no-telemetry "$@" \
	>"$dir/node.log" 2>&1 &
node_pid=$!
pids+=("$node_pid")
for _ in $(seq 1 120); do
	curl -sf -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
		"http://127.0.0.1:$port" >/dev/null 2>&1 && break
	kill -0 "$node_pid" 2>/dev/null || die "deai-node exited; see $dir/node.log"
	sleep 1
done

log "registering all-MiniLM-L6-v2 (artifact $hash)"
model="$(node "$DEAI_ROOT/e2e/tools/register-model.js" --url "$endpoint" --hash "$hash")"

names=(Dave Eve Ferdie)
metrics=()
for i in $(seq 0 $((count - 1))); do
	name="${names[$i]}"
	wdir="$dir/workers/$name"
	metrics_addr="127.0.0.1:$((9715 + i))"  # the node's own Prometheus is on 9615
	if [ ! -f "$wdir/worker.toml" ]; then
		"$DEAI_WORKER" init --dir "$wdir" --node-url "$endpoint" --models-dir "$models_dir" \
			--metrics-addr "$metrics_addr" --account-uri "//$name" >/dev/null
	fi
	sed -i "s/^id = .*/id = $model/" "$wdir/worker.toml"
	"$DEAI_WORKER" register --config "$wdir/worker.toml" --bond 2000 >/dev/null 2>"$wdir/register.log" ||
		grep -q AlreadyRegistered "$wdir/register.log" || die "registering $name failed: $(cat "$wdir/register.log")"
	"$DEAI_WORKER" run --config "$wdir/worker.toml" >"$wdir/run.log" 2>&1 &
	pids+=("$!")
	metrics+=("http://$metrics_addr/metrics")
done
# Every worker must come up (keys, registration, model hash check, metrics port).
for i in $(seq 0 $((count - 1))); do
	wdir="$dir/workers/${names[$i]}"
	for _ in $(seq 1 60); do
		grep -q "worker started" "$wdir/run.log" 2>/dev/null && break
		kill -0 "${pids[$((i + 1))]}" 2>/dev/null || die "worker ${names[$i]} exited: $(tail -3 "$wdir/run.log")"
		sleep 1
	done
done

log "DeAI dev chain with $count workers serving model $model (all-MiniLM-L6-v2)"
log "  WebSocket RPC:     $endpoint"
log "  polkadot.js Apps:  https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$port#/explorer"
log "  worker metrics:    ${metrics[*]}"
log "  logs:              $dir/node.log, $dir/workers/*/run.log"
log "  submit a job with polkadot-js (embeds the text with 3 replicas, 2 must agree):"
log "    node e2e/tools/submit-job.js --url $endpoint --model $model --text 'hello world'"
log "  stop with Ctrl-C"
wait "$node_pid"
