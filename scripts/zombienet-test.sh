#!/usr/bin/env bash
# Runs the DeAI local testnet on a real relay chain with zombienet and tests it:
# a rococo-local relay chain (two `polkadot` validators) and the DeAI parachain 2000
# (two `deai-node` collators, the local_testnet preset), then the DeAI protocol across
# them with real `deai-worker` processes (zombienet/0001-deai-network.zndsl).
#
#   scripts/zombienet-test.sh          build what is missing, spawn, test, tear down
#   scripts/zombienet-test.sh spawn    build what is missing and keep the testnet running
#                                      until Ctrl-C (ports: zombienet/README.md)
#
# It installs the relay binaries when missing (scripts/install-relay.sh: a long build),
# builds deai-node and deai-worker only when they are missing (ensure_node, ensure_worker),
# and installs the pinned zombienet CLI from zombienet/package-lock.json.
#
# Everything the run starts (zombienet, the nodes, the test, the workers) lives in one
# process group, which is killed on any exit (success, failure, Ctrl-C); the script then
# checks that no process of the run is left and fails if one is.
#
# Environment:
#   DEAI_ZOMBIENET_DIR      where the network's files, logs and the test's workers go
#                           (default: a fresh /tmp/deai-zombienet-XXXXXX; must not exist)
#   DEAI_ZOMBIENET_KEEP=1   keep that directory after a successful run (a failed run
#                           always keeps it)
#   DEAI_ZOMBIENET_NICE     niceness of the whole run (default 0; e.g. 10 beside a build)
#   DEAI_ZOMBIENET_TIMEOUT  seconds before a test run is stopped as failed (default 2700)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mode="${1:-test}"
case "$mode" in
test | spawn) ;;
*) die "usage: scripts/zombienet-test.sh [test|spawn]" ;;
esac

ZN_DIR="$DEAI_ROOT/zombienet"
ZOMBIENET="$ZN_DIR/node_modules/.bin/zombienet"
# The fixed RPC ports of zombienet/local.toml: relay alice, bob; collators alice-1, bob-1.
PORTS=(9900 9901 9910 9911)
COLLATOR_LOGS=(alice-1 bob-1)

# 1. What the run needs: the machine's packages (and e2e's npm packages), the relay
#    binaries, deai-node and deai-worker, and the zombienet CLI.
"$DEAI_ROOT/scripts/setup.sh"
"$DEAI_ROOT/scripts/install-relay.sh"
ensure_node
ensure_worker
npm_ci_if_stale "$ZN_DIR"
[ -x "$ZOMBIENET" ] || die "npm ci in zombienet/ installed no zombienet CLI at $ZOMBIENET"
node "$ZN_DIR/check.js" >/dev/null || die "zombienet/check.js found problems in zombienet/ (above)"
log "relay: $("$DEAI_RELAY_BIN/polkadot" --version | head -1) ($DEAI_RELAY_BIN)"
log "zombienet $("$ZOMBIENET" version | tail -1), $("$DEAI_NODE" --version), $("$DEAI_WORKER" --version 2>/dev/null || echo deai-worker)"

for port in "${PORTS[@]}"; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		die "port $port is in use (another testnet?); local.toml needs ${PORTS[*]}"
	fi
done

dir="${DEAI_ZOMBIENET_DIR:-$(mktemp -d /tmp/deai-zombienet-XXXXXX)}"
if [ -n "${DEAI_ZOMBIENET_DIR:-}" ]; then
	[ ! -e "$dir" ] || die "DEAI_ZOMBIENET_DIR=$dir exists; name a new directory"
	mkdir -p "$dir"
fi
dir="$(cd "$dir" && pwd)"
mkdir -p "$dir/tmp"
net="$dir/network"

# 2. Teardown, whatever happens from here on.
pgid=""
status=1
# Whether process <pid> runs (a zombie waiting to be reaped does not).
alive() {
	local stat
	stat="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ "$stat" != Z* ]]
}
# The live processes left in the run's process group or naming its directory.
processes_of_run() {
	local pid
	{
		[ -z "$pgid" ] || pgrep -g "$pgid" || true
		pgrep -f -- "$dir/" || true
	} | sort -un | while read -r pid; do
		if alive "$pid"; then echo "$pid"; fi
	done
	return 0
}
cleanup() {
	local rc=$? left pid
	set +e
	[ "$status" -eq 0 ] || [ "$rc" -ne 0 ] || rc=1
	if [ -n "$pgid" ]; then
		kill -TERM -- "-$pgid" 2>/dev/null || true
		for _ in $(seq 1 20); do
			[ -n "$(processes_of_run)" ] || break
			sleep 0.5
		done
		kill -KILL -- "-$pgid" 2>/dev/null || true
		wait "$pgid" 2>/dev/null || true
	fi
	left="$(processes_of_run)"
	for pid in $left; do kill -KILL "$pid" 2>/dev/null || true; done
	[ -z "$left" ] || sleep 1
	left="$(processes_of_run)"
	if [ -n "$left" ]; then
		printf '%s\n' "$left" | xargs -r ps -o pid=,args= -p >&2 || true
		log "error: processes of the run are still alive (above)"
		rc=1
	else
		log "teardown: no process of the run is left"
	fi
	if [ "$rc" -eq 0 ] && [ "${DEAI_ZOMBIENET_KEEP:-0}" != 1 ]; then
		rm -rf "$dir"
	else
		log "network files and logs kept in $dir (node logs: $net/<node>.log)"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 3. Zombienet in a session (and process group) of its own, so that everything it starts
#    can be killed at once. Workers and temporary files of the test go under $dir too.
start_zombienet() { # <zombienet args...>
	setsid nice -n "${DEAI_ZOMBIENET_NICE:-0}" env TMPDIR="$dir/tmp" \
		"$ZOMBIENET" --provider native --dir "$net" --logType text "$@" </dev/null &
	pgid=$!
	[ "$(ps -o pgid= -p "$pgid" | tr -d ' ')" = "$pgid" ] || die "zombienet did not get a process group of its own"
}

cd "$ZN_DIR"
if [ "$mode" = spawn ]; then
	log "spawning the testnet (files: $net)"
	start_zombienet spawn "$ZN_DIR/local.toml"
	while [ ! -f "$net/zombie.json" ]; do
		alive "$pgid" || die "zombienet exited before the network was up"
		sleep 2
	done
	log "DeAI testnet up: relay chain rococo-local, parachain 2000"
	log "  relay alice     ws://127.0.0.1:9900   relay bob     ws://127.0.0.1:9901"
	log "  collator alice  ws://127.0.0.1:9910   collator bob  ws://127.0.0.1:9911"
	log "  polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A9910#/explorer"
	log "  node logs: $net/<node>.log; stop with Ctrl-C"
	status=0
	wait "$pgid" || true
	die "zombienet exited"
fi

log "spawning the testnet and running zombienet/0001-deai-network.zndsl (files: $net)"
start_zombienet test "$ZN_DIR/0001-deai-network.zndsl"
limit="${DEAI_ZOMBIENET_TIMEOUT:-2700}"
start=$(date +%s)
while alive "$pgid"; do
	if [ $(($(date +%s) - start)) -gt "$limit" ]; then
		log "error: the test run takes longer than $limit s; stopping it"
		break
	fi
	sleep 2
done
if alive "$pgid"; then
	rc=124
else
	rc=0
	wait "$pgid" || rc=$?
fi
if [ "$rc" -ne 0 ]; then
	for name in "${COLLATOR_LOGS[@]}"; do
		[ -f "$net/$name.log" ] || continue
		log "last lines of $name's log ($net/$name.log):"
		tail -n 25 "$net/$name.log" >&2
	done
	die "zombienet test failed (exit code $rc) after $(($(date +%s) - start)) s"
fi
status=0
log "zombienet test passed in $(($(date +%s) - start)) s"
