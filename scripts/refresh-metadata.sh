#!/usr/bin/env bash
# Refreshes `worker/metadata/deai.scale`, the runtime metadata (V16) the worker's
# typed chain client is generated from, from a development node built from this
# checkout. Run it after changing a call, event, storage item or runtime API that
# the worker uses; `cargo test -p deai-runtime` fails while the file is stale
# (`the_workers_metadata_is_this_runtimes`).
#
#   scripts/refresh-metadata.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ "${DEAI_SKIP_BUILD:-0}" = 1 ] || build_node
port="${DEAI_METADATA_PORT:-9977}"
base="$(mktemp -d)"
"$DEAI_NODE" --dev --base-path "$base" --rpc-port "$port" --port 0 --no-prometheus \
	--no-telemetry --no-mdns >"$base/node.log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; rm -rf "$base"' EXIT

out="$DEAI_ROOT/worker/metadata/deai.scale"
for _ in $(seq 1 120); do
	if curl -sf -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"state_call","params":["Metadata_metadata_at_version","0x10000000"]}' \
		"http://127.0.0.1:$port" -o "$base/response.json" 2>/dev/null; then
		python3 - "$out" "$base/response.json" <<'PY'
import json, sys
out = sys.argv[1]
response = json.load(open(sys.argv[2]))
raw = bytes.fromhex(response["result"][2:])
# SCALE Option<OpaqueMetadata>: 0x01, a compact length, then the prefixed metadata.
assert raw[0] == 1, "the node has no V16 metadata"
mode = raw[1] & 3
skip = {0: 1, 1: 2, 2: 4}[mode]
metadata = raw[1 + skip:]
assert metadata[:4] == b"meta" and metadata[4] == 16, "not V16 metadata"
open(out, "wb").write(metadata)
print(f"wrote {len(metadata)} bytes of V16 metadata to {out}")
PY
		exit 0
	fi
	kill -0 "$node_pid" 2>/dev/null || break
	sleep 1
done
tail -20 "$base/node.log" >&2
die "the node did not answer on port $port"
