/**
 * Test harness that runs a real `deai-node --dev` process for the DeAI
 * end-to-end tests and connects a polkadot-js `ApiPromise` to it.
 *
 * Every node gets its own free ports and a fresh temporary directory (chain
 * database and log file), and is always stopped: by `stop()`, or, if the test
 * process ends first, by the process 'exit' / SIGINT / SIGTERM handlers
 * installed here.
 *
 * Environment:
 * - `DEAI_NODE`: path of the node binary. Default:
 *   `$CARGO_TARGET_DIR/release/deai-node`, where `CARGO_TARGET_DIR` defaults
 *   to `$HOME/.cache/deai/target` (a relative `CARGO_TARGET_DIR` is taken
 *   relative to the repository root, as cargo does).
 * - `DEAI_NODE_EXTRA_ARGS`: extra arguments, split on whitespace.
 * - `DEAI_E2E_KEEP_TMP=1`: keep the temporary directory (and its log) after
 *   the node stops, for debugging.
 * - `DEAI_E2E_LOG_LINES`: how many log lines to show on failure (default 60).
 * - `DEAI_E2E_READY_TIMEOUT_MS`: how long to wait for the RPC (default 120 s).
 */

import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ApiPromise, WsProvider } from '@polkadot/api';

/** Root of the repository (the parent of `e2e/`). */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Fixed command-line flags passed to every node, besides `--base-path`,
 * `--rpc-port` and `--port`, which the harness adds with fresh values.
 * Kept in one place so that a flag the node rejects is easy to adjust.
 */
export const NODE_FLAGS = Object.freeze([
  '--no-prometheus',
  '--no-telemetry',
  '--no-mdns',
  '--rpc-cors',
  'all',
  '--unsafe-force-node-key-generation',
]);

/**
 * How long to wait for the node's RPC to answer, by default: 120 s, or
 * `DEAI_E2E_READY_TIMEOUT_MS`.
 */
export const DEFAULT_READY_TIMEOUT_MS = Number(process.env.DEAI_E2E_READY_TIMEOUT_MS) || 120_000;

/** How long `stop()` waits after SIGTERM before it sends SIGKILL. */
const STOP_GRACE_MS = 10_000;

/** Nodes started by this process and not yet stopped: `{ child, tmpDir }`. */
const running = new Set();
/** Directories of nodes killed and not restarted, removed when the process exits. */
const killed = new Set();
let exitHandlersInstalled = false;

/**
 * Path of the `deai-node` binary to test, from `DEAI_NODE` or the default
 * cargo target directory.
 *
 * @returns {string} absolute path of the binary
 */
export function nodeBinaryPath() {
  if (process.env.DEAI_NODE) return path.resolve(process.env.DEAI_NODE);
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(os.homedir(), '.cache', 'deai', 'target');
  return path.join(targetDir, 'release', 'deai-node');
}

/**
 * Path of the `local_testnet` chain spec of the `fast-runtime` Wasm that
 * `scripts/fast-runtime.sh` writes: `DEAI_FAST_CHAIN_SPEC`, or
 * `$CARGO_TARGET_DIR/fast-runtime/local-fast.json` with the same target
 * directory as `nodeBinaryPath()` (default `$HOME/.cache/deai/target`).
 *
 * @returns {string} absolute path of the chain spec
 */
export function fastChainSpecPath() {
  if (process.env.DEAI_FAST_CHAIN_SPEC) return path.resolve(process.env.DEAI_FAST_CHAIN_SPEC);
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(os.homedir(), '.cache', 'deai', 'target');
  return path.join(targetDir, 'fast-runtime', 'local-fast.json');
}

/**
 * Find `count` distinct free TCP ports on 127.0.0.1 by binding port 0.
 * All sockets stay open until every port is known, so the ports differ.
 *
 * @param {number} [count=1] how many ports to find
 * @returns {Promise<number[]>} the free ports
 */
export async function freePorts(count = 1) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve()))));
  }
}

/**
 * The last lines of a log file, or a note if it is empty or unreadable.
 *
 * @param {string} logPath path of the log file
 * @param {number} [lines] how many lines to return
 * @returns {string} the tail of the log
 */
export function readLogTail(logPath, lines = Number(process.env.DEAI_E2E_LOG_LINES) || 60) {
  let text;
  try {
    text = readFileSync(logPath, 'utf8');
  } catch (err) {
    return `(could not read ${logPath}: ${err.message})`;
  }
  const all = text.trimEnd().split('\n');
  if (all.length === 1 && all[0] === '') return '(the node log is empty)';
  if (all.length === 1 && all[0].startsWith('$ ')) all.push('(the node printed nothing)');
  const tail = all.slice(-lines);
  const skipped = all.length - tail.length;
  return (skipped > 0 ? `(… ${skipped} earlier lines)\n` : '') + tail.join('\n');
}

/** Format a log tail as a framed block for error messages. */
function framedTail(logPath) {
  return `--- deai-node log (${logPath}) ---\n${readLogTail(logPath)}\n--- end of deai-node log ---`;
}

/** Kill every node still running and remove its directory; synchronous. */
function killAllNow() {
  for (const entry of running) {
    try {
      entry.child.kill('SIGKILL');
    } catch {
      // already gone
    }
    if (!process.env.DEAI_E2E_KEEP_TMP) rmSync(entry.tmpDir, { recursive: true, force: true });
  }
  running.clear();
  if (!process.env.DEAI_E2E_KEEP_TMP) {
    for (const dir of killed) rmSync(dir, { recursive: true, force: true });
  }
  killed.clear();
}

/** Make sure no node outlives the test process. Installed once. */
function installExitHandlers() {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on('exit', killAllNow);
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]]) {
    process.on(signal, () => {
      killAllNow();
      process.exit(128 + number);
    });
  }
}

/**
 * Ask the node's RPC server for `system_health` over HTTP (the RPC port serves
 * HTTP and WebSocket alike). Resolves to true once it answers with a result.
 */
async function healthAnswers(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) return false;
    const body = await res.json();
    return body && body.result !== undefined;
  } catch {
    return false;
  }
}

/** Wait `ms`; the timer does not keep the process alive on its own. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * @typedef {object} DevNode
 * @property {ApiPromise} api connected polkadot-js api (created without custom types)
 * @property {string} wsUrl WebSocket RPC endpoint of the node
 * @property {() => Promise<void>} stop disconnect, stop the node and remove its directory; idempotent
 * @property {() => Promise<void>} kill SIGKILL the node, keeping its database for `restart`
 * @property {(options?: { timeoutMs?: number }) => Promise<DevNode>} restart start a killed
 *   node again on the same database and ports
 * @property {() => string} logTail last lines of the node's log
 * @property {string} logPath path of the node's log file (removed by `stop()`)
 * @property {import('node:child_process').ChildProcess} child the node process
 */

/**
 * Start a `deai-node --dev` on free local ports with a fresh temporary base
 * path, wait until its RPC answers and connect an `ApiPromise` to it.
 *
 * On failure (binary missing, process exits early, RPC not answering within
 * the timeout) the node is stopped, its directory removed, and the error
 * message carries the tail of the node's log.
 *
 * By default the node runs the built-in development chain (`--dev`). With
 * `chainSpec` it runs that chain-spec file instead, sealing a block every 3 s
 * on its own (`--dev-block-time 3000`, no relay chain), e.g. the
 * `local_testnet` spec of the `fast-runtime` Wasm that `scripts/fast-runtime.sh`
 * writes.
 *
 * @param {object} [options]
 * @param {string[]} [options.extraArgs] arguments appended to the command line
 * @param {string} [options.chainSpec] a chain-spec file to run instead of `--dev`
 * @param {number} [options.readyTimeoutMs] how long to wait for the RPC
 * @returns {Promise<DevNode>}
 */
export async function startNode({
  extraArgs = [],
  chainSpec,
  readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS,
} = {}) {
  const binary = nodeBinaryPath();
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(
      `deai-node binary not found or not executable at ${binary}. ` +
        'Build it with `cargo build --release -p deai-node` or point DEAI_NODE at it.',
    );
  }

  installExitHandlers();
  const [rpcPort, p2pPort] = await freePorts(2);
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'deai-e2e-'));
  const logPath = path.join(tmpDir, 'node.log');
  const envExtra = (process.env.DEAI_NODE_EXTRA_ARGS || '').split(/\s+/).filter(Boolean);
  const chainArgs = chainSpec ? ['--chain', chainSpec, '--dev-block-time', '3000'] : ['--dev'];
  const args = [
    ...chainArgs,
    ...NODE_FLAGS,
    '--base-path', path.join(tmpDir, 'base'),
    '--rpc-port', String(rpcPort),
    '--port', String(p2pPort),
    ...envExtra,
    ...extraArgs,
  ];
  return launch({ binary, args, tmpDir, logPath, rpcPort, readyTimeoutMs });
}

/**
 * Runs `binary args` (a node whose base path and log are in `tmpDir`), waits for
 * its RPC on `rpcPort` and connects an api. The returned node can be stopped
 * (and its directory removed), or killed and restarted on the same database.
 */
async function launch({ binary, args, tmpDir, logPath, rpcPort, readyTimeoutMs }) {
  const wsUrl = `ws://127.0.0.1:${rpcPort}`;

  // The child writes straight into the log file, so nothing is lost if this
  // process is busy or dies.
  const logFd = openSync(logPath, 'a');
  writeSync(logFd, `$ ${binary} ${args.join(' ')}\n`);
  let child;
  try {
    child = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  const entry = { child, tmpDir };
  running.add(entry);

  let exitInfo = null; // set once the process has exited
  let ready = false; // set once the api is connected
  let stopping = false;
  let stopPromise;
  const exited = new Promise((resolve) => {
    const done = (info) => {
      if (exitInfo) return;
      exitInfo = info;
      resolve(info);
    };
    child.once('error', (err) => done({ error: err }));
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  const describeExit = () =>
    exitInfo.error
      ? `could not be run (${exitInfo.error.message})`
      : `exited early (code ${exitInfo.code}, signal ${exitInfo.signal})`;

  // A node that dies while tests use it should say so loudly.
  exited.then(() => {
    if (ready && !stopping) {
      console.error(`deai-node (pid ${child.pid}) ${describeExit()} while tests were running.\n${framedTail(logPath)}`);
    }
  });

  let api;
  const stop = async () => {
    if (stopping) return stopPromise;
    stopping = true;
    stopPromise = (async () => {
      if (api) await api.disconnect().catch(() => {});
      if (!exitInfo) {
        child.kill('SIGTERM');
        const graceful = await Promise.race([exited, sleep(STOP_GRACE_MS).then(() => false)]);
        if (!graceful) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      running.delete(entry);
      if (process.env.DEAI_E2E_KEEP_TMP) {
        console.error(`deai-e2e: kept ${tmpDir}`);
      } else {
        await rm(tmpDir, { recursive: true, force: true });
      }
    })();
    return stopPromise;
  };

  /**
   * Abrupt death (SIGKILL, as a power cut): the database and the log stay, so
   * `restart()` can bring the same node back. Until then the directory is
   * still removed when the test process exits.
   */
  const kill = async () => {
    stopping = true;
    if (api) await api.disconnect().catch(() => {});
    if (!exitInfo) child.kill('SIGKILL');
    await exited;
    running.delete(entry);
    killed.add(tmpDir);
  };

  /** Starts the killed node again: same command line, database and ports. */
  const restart = async ({ timeoutMs = readyTimeoutMs } = {}) => {
    if (!exitInfo) throw new Error('restart() needs a node that was killed first');
    killed.delete(tmpDir);
    return launch({ binary, args, tmpDir, logPath, rpcPort, readyTimeoutMs: timeoutMs });
  };

  /** Stop the node and throw an error that carries its log tail. */
  const fail = async (reason) => {
    const message = `deai-node ${reason}\ncommand: ${binary} ${args.join(' ')}\n${framedTail(logPath)}`;
    await stop();
    throw new Error(message);
  };

  // 1. Wait until the RPC server answers `system_health`.
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exitInfo) return fail(`${describeExit()} before its RPC answered.`);
    if (await healthAnswers(rpcPort)) break;
    if (Date.now() > deadline) {
      return fail(`RPC at ${wsUrl} did not answer system_health within ${readyTimeoutMs / 1000} s.`);
    }
    await Promise.race([exited, sleep(500)]);
  }

  // 2. Connect the api (reads metadata); no custom `types` on purpose.
  const provider = new WsProvider(wsUrl);
  const creating = ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  try {
    const remaining = Math.max(deadline - Date.now(), 10_000);
    let timer;
    api = await Promise.race([
      creating,
      exited.then(() => Promise.reject(new Error(describeExit()))),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`api did not become ready within ${remaining / 1000} s`)), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    await api.rpc.system.health();
  } catch (err) {
    // Stop reconnect attempts, also of an api that might still come up late.
    provider.disconnect().catch(() => {});
    creating.then((late) => late.disconnect()).catch(() => {});
    return fail(`answered RPC, but connecting the api failed: ${err.message}`);
  }
  ready = true;

  return { api, wsUrl, stop, kill, restart, logTail: () => readLogTail(logPath), logPath, child };
}

/**
 * Print the node's log tail if the test that just ran failed. Meant for an
 * `afterEach((t) => printLogOnFailure(t, node))` hook.
 *
 * @param {import('node:test').TestContext} t the finished test's context
 * @param {DevNode | undefined} node the node the test used
 */
export function printLogOnFailure(t, node) {
  if (t.passed === false && node) {
    console.error(`Test "${t.name}" failed.\n${framedTail(node.logPath)}`);
  }
}
