#!/usr/bin/env bash
# Regenerates the committed chain specs in chain-specs/ from the runtime compiled into
# deai-node (its `development` and `local_testnet` genesis presets).
#
#   scripts/chain-specs.sh            build the node if needed, then write the specs
#   DEAI_SKIP_BUILD=1 scripts/chain-specs.sh   use the node already built
#
# Run it after any change to the runtime and commit the result; the test command fails
# while a committed spec is stale (node/tests/chain_specs.rs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ "${DEAI_SKIP_BUILD:-0}" = 1 ] || build_node
[ -x "$DEAI_NODE" ] || die "no node at $DEAI_NODE; run without DEAI_SKIP_BUILD=1"

out="$DEAI_ROOT/chain-specs"
mkdir -p "$out"
spec() { # <chain> <file> [--raw]
	local chain="$1" file="$2"
	shift 2
	"$DEAI_NODE" build-spec --chain "$chain" --disable-default-bootnode "$@" \
		>"$out/$file.tmp" 2>"$out/$file.log" ||
		{ cat "$out/$file.log" >&2; rm -f "$out/$file.tmp" "$out/$file.log"; die "build-spec --chain $chain failed"; }
	mv "$out/$file.tmp" "$out/$file"
	rm -f "$out/$file.log"
	log "wrote chain-specs/$file ($(wc -c <"$out/$file") bytes)"
}
spec dev dev.json
spec local local.json
spec local local-raw.json --raw
