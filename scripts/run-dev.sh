#!/usr/bin/env bash
# Sets up the machine, builds deai-node and runs a single-node DeAI development chain.
#
#   scripts/run-dev.sh [extra deai-node args...]
#
# Environment:
#   DEAI_RPC_PORT   WebSocket/HTTP RPC port (default 9944)
#   DEAI_SKIP_BUILD set to 1 to run the node already built
#
# The chain uses the embedded `development` preset (Alice collates and holds sudo, the
# well-known dev accounts are funded). Blocks are sealed every 3 s and finalized at once.
# State is kept in a temporary directory and dropped on exit. Stop it with Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$DEAI_ROOT/scripts/setup.sh"
[ "${DEAI_SKIP_BUILD:-0}" = 1 ] || build_node
[ -x "$DEAI_NODE" ] || die "no node at $DEAI_NODE; run without DEAI_SKIP_BUILD=1"

port="${DEAI_RPC_PORT:-9944}"
endpoint="ws://127.0.0.1:$port"
log "DeAI dev chain starting"
log "  WebSocket RPC:     $endpoint"
log "  polkadot.js Apps:  https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$port#/explorer"
log "  stop with Ctrl-C"
exec "$DEAI_NODE" --dev --rpc-port "$port" --rpc-cors all "$@"
