#!/usr/bin/env bash
# Installs what a fresh Debian machine with rustup lacks to build, run and test
# DeAI. Idempotent: a second run only checks and returns.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# System packages: protoc for libp2p, clang/libclang for rocksdb bindings.
need_apt=()
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
dpkg -s libclang-dev >/dev/null 2>&1 || need_apt+=(libclang-dev)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
if [ "${#need_apt[@]}" -gt 0 ]; then
	log "installing apt packages: ${need_apt[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The pinned toolchain (rust-toolchain.toml) with the Wasm target and rust-src.
command -v rustup >/dev/null 2>&1 || die "rustup is required (https://rustup.rs)"
toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$DEAI_ROOT/rust-toolchain.toml")"
if ! rustup target list --installed --toolchain "$toolchain" 2>/dev/null | grep -qx wasm32v1-none; then
	log "adding rustup target wasm32v1-none to $toolchain"
	rustup target add --toolchain "$toolchain" wasm32v1-none
fi
for component in rust-src rustfmt clippy; do
	if ! rustup component list --installed --toolchain "$toolchain" 2>/dev/null | grep -q "^$component"; then
		log "adding rustup component $component to $toolchain"
		rustup component add --toolchain "$toolchain" "$component"
	fi
done

# npm packages of the polkadot-js end-to-end tests, from the committed lock file.
npm_ci_if_stale "$DEAI_ROOT/e2e"

# taplo (TOML format check), the pinned release from PyPI (a prebuilt binary).
if ! "$DEAI_TAPLO" --version 2>/dev/null | grep -qx "taplo $DEAI_TAPLO_VERSION"; then
	log "installing taplo $DEAI_TAPLO_VERSION (PyPI) into $DEAI_TOOLS_VENV"
	[ -x "$DEAI_TOOLS_VENV/bin/pip" ] || python3 -m venv "$DEAI_TOOLS_VENV"
	"$DEAI_TOOLS_VENV/bin/pip" install --quiet --disable-pip-version-check "taplo==$DEAI_TAPLO_VERSION"
fi

# zepter (feature propagation check), the pinned release built from crates.io.
if ! "$DEAI_ZEPTER" --version 2>/dev/null | grep -qx "zepter $DEAI_ZEPTER_VERSION"; then
	log "installing zepter $DEAI_ZEPTER_VERSION (crates.io) into $DEAI_ZEPTER_ROOT"
	cargo install --quiet --locked zepter --version "$DEAI_ZEPTER_VERSION" \
		--root "$DEAI_ZEPTER_ROOT" --target-dir "$DEAI_ZEPTER_ROOT/build"
fi

mkdir -p "$CARGO_TARGET_DIR"
log "setup complete (target dir: $CARGO_TARGET_DIR)"
