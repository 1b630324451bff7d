/**
 * Running real `deai-worker` processes from tests: its command line, worker
 * directories (keys, config, store) and long-running `run` processes whose
 * logs go to files the tests can read.
 *
 * Environment:
 * - `DEAI_WORKER`: path of the worker binary. Default:
 *   `$CARGO_TARGET_DIR/release/deai-worker`, `CARGO_TARGET_DIR` defaulting to
 *   `$HOME/.cache/deai/target`.
 */

import { execFile, spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { u8aToHex } from '@polkadot/util';

import { findEvent, headerOf, modelArgs, signAndWait } from './chain.js';
import { freePorts, readLogTail } from './node.js';

const run = promisify(execFile);

/** Every worker process a test started, killed when the test process exits. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Path of the `deai-worker` binary to test. */
export function workerBinaryPath() {
  if (process.env.DEAI_WORKER) return path.resolve(process.env.DEAI_WORKER);
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(process.env.CARGO_TARGET_DIR)
    : path.join(os.homedir(), '.cache', 'deai', 'target');
  return path.join(targetDir, 'release', 'deai-worker');
}

function binary() {
  const bin = workerBinaryPath();
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(`deai-worker not found at ${bin}; build it with scripts/build-worker.sh or set DEAI_WORKER`);
  }
  return bin;
}

/**
 * Runs `deai-worker <args>` to the end.
 *
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export async function workerCli(args, { timeoutMs = 120_000 } = {}) {
  try {
    const { stdout, stderr } = await run(binary(), args, { timeout: timeoutMs, env: { ...process.env, RUST_LOG: 'info' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (typeof err.code !== 'number') throw err;
    return { code: err.code, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** `deai-worker <args>` that must succeed; returns its stdout. */
export async function workerCliOk(args, options) {
  const result = await workerCli(args, options);
  if (result.code !== 0) {
    throw new Error(`deai-worker ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/** A fresh temporary directory. */
export const tempDir = (prefix) => mkdtemp(path.join(os.tmpdir(), prefix));

/**
 * Writes a tiny BERT encoder with `deai-worker tiny-model` into `dir`.
 *
 * @returns {Promise<string>} its artifact hash, 0x-hex
 */
export async function tinyModel(dir, seed = 1) {
  return (await workerCliOk(['tiny-model', '--out', dir, '--seed', String(seed)])).trim();
}

/**
 * Creates a worker directory with `deai-worker init` (the account from
 * `accountUri`, a fresh attestation key) serving model `modelId` from
 * `modelDir`, with metrics on a free port.
 *
 * @returns {Promise<{ dir: string, config: string, metricsUrl: string, attestationKey: string }>}
 */
export async function workerDir({ name, accountUri, nodeUrl, modelId, modelDir }) {
  const dir = path.join(await tempDir(`deai-worker-${name}-`), 'worker');
  const [metricsPort] = await freePorts(1);
  const out = await workerCliOk([
    'init', '--dir', dir, '--node-url', nodeUrl, '--models-dir', '.', '--metrics-addr', `127.0.0.1:${metricsPort}`,
    '--account-uri', accountUri,
  ]);
  const attestationKey = /attestation key: (0x[0-9a-f]{64})/.exec(out)?.[1];
  if (!attestationKey) throw new Error(`init printed no attestation key:\n${out}`);
  const config = path.join(dir, 'worker.toml');
  const text = readFileSync(config, 'utf8')
    .replace(/^id = 0$/m, `id = ${modelId}`)
    .replace(/^path = ".*"$/m, `path = ${JSON.stringify(modelDir)}`)
    .replace(/^endpoint = ".*"$/m, `endpoint = "e2e-${name}"`);
  writeFileSync(config, text);
  return { dir, config, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, attestationKey };
}

/**
 * Starts `deai-worker run --config <config>`, logging to `<dir>/run-<n>.log`.
 *
 * @returns {{ child, logPath: string, log: () => string, exited: Promise<{code, signal}>,
 *   stop: () => Promise<void>, kill: () => Promise<void> }}
 */
export function startWorker({ dir, config }, { attempt = 1 } = {}) {
  const logPath = path.join(dir, `run-${attempt}.log`);
  const fd = openSync(logPath, 'a');
  let child;
  try {
    child = spawn(binary(), ['run', '--config', config], {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'info', NO_COLOR: '1' },
    });
  } finally {
    closeSync(fd);
  }
  running.add(child);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  const signal = async (sig) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    child,
    logPath,
    log,
    exited,
    tail: () => readLogTail(logPath),
    /** Graceful stop (SIGINT, as ctrl-c). */
    stop: () => signal('SIGINT'),
    /** Abrupt death (SIGKILL): nothing gets to run. */
    kill: () => signal('SIGKILL'),
  };
}

/** Stops every worker process in `procs`, then `node` (if it was started). */
export async function stopWorkersAndNode(procs, node) {
  await Promise.all(Object.values(procs).map((p) => p.stop()));
  await node?.stop();
}

/**
 * Prints the log tail of every worker process in `procs` (by name) if the test
 * that just ran failed. Meant for an `afterEach` hook, next to the node's
 * `printLogOnFailure`.
 */
export function printWorkerLogsOnFailure(t, procs) {
  if (t.passed !== false) return;
  for (const [name, p] of Object.entries(procs)) console.error(`--- ${name} worker log ---\n${p.tail()}`);
}

/** Polls `check` every 250 ms until it returns a truthy value or `timeoutMs` passes. */
export async function eventually(check, { timeoutMs = 30_000, what = 'condition' } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The value of a metric line `name value` in Prometheus text, or undefined. */
export async function metric(url, name) {
  try {
    const text = await (await fetch(url)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(name.length + 1));
  } catch {
    return undefined;
  }
}

/**
 * Builds a tiny encoder (seed `seed`) and registers it as a model owned by
 * `owner`, outputs quantized to `decimals`, with its real artifact hash.
 *
 * @returns {Promise<{ model: number, modelDir: string, modelHash: string }>}
 */
export async function registerTinyModel(api, owner, { seed = 11, decimals = 4, price = 2n * 10n ** 12n } = {}) {
  const modelDir = path.join(await tempDir('deai-tiny-model-'), 'tiny');
  const modelHash = await tinyModel(modelDir, seed);
  const registered = await signAndWait(
    api,
    api.tx.modelRegistry.register(...modelArgs({
      name: `tiny-sentence-encoder-${seed}`,
      version: '1.0.0',
      artifactHash: modelHash,
      uris: ['file://tiny'],
      framework: 'Safetensors',
      license: 'Apache-2.0',
      inputSpec: { kind: 'Text', maxLen: 256 },
      outputSpec: { QuantizedF32: { decimals } },
      price,
      royalty: 0,
      parent: null,
      datasets: [],
    })),
    owner,
  );
  const event = findEvent(registered.events, api.events.modelRegistry.ModelRegistered);
  if (!event) throw new Error('modelRegistry.register emitted no ModelRegistered');
  return { model: event.data.model.toNumber(), modelDir, modelHash };
}

/** The secret URI of the dev account `name`: `dave` is `//Dave`. */
export const devAccountUri = (name) => `//${name[0].toUpperCase()}${name.slice(1)}`;

/**
 * Turns on the worker's test-only fault injection in its config: every output
 * it commits to has one bit flipped (`fault_wrong_results`), so it is a worker
 * that lies (or is lazy) while doing everything else as an honest one does.
 */
export function injectWrongResults(config) {
  // Top-level keys come before the [[models]] table.
  writeFileSync(config, `fault_wrong_results = true\n${readFileSync(config, 'utf8')}`);
}

/**
 * For each name (by default a dev account, see `devAccountUri`; `uri` maps a
 * name to another secret URI), a worker directory from `deai-worker init`
 * serving `model` and a `deai-worker register` with `bond` DEAI; with
 * `wrongResults` the workers lie (see `injectWrongResults`). Each entry also
 * carries the account's `address`.
 *
 * @returns {Promise<Record<string, { dir, config, metricsUrl, attestationKey, address }>>}
 */
export async function registerWorkers(
  keyring,
  names,
  { nodeUrl, model, modelDir, bond = 2000, uri: uriOf = devAccountUri, wrongResults = false },
) {
  const workers = {};
  for (const name of names) {
    const uri = uriOf(name);
    workers[name] = await workerDir({ name, accountUri: uri, nodeUrl, modelId: model, modelDir });
    workers[name].address = keyring.addFromUri(uri).address;
    if (wrongResults) injectWrongResults(workers[name].config);
    const out = await workerCliOk(['register', '--config', workers[name].config, '--bond', String(bond)]);
    if (!/registered .* with a bond of \d+ DEAI serving models \[\d+\]/.test(out)) {
      throw new Error(`deai-worker register for ${name} printed:\n${out}`);
    }
  }
  return workers;
}

/**
 * Submits a job for `model` with input `payload` (`{ Inline: hex }` or
 * `{ Reference: { uri, hash } }`) and `verification`, paying the quoted
 * price, signed by `signer`, with a deadline `lifetime` blocks ahead.
 *
 * @returns {Promise<{ job: number, from: number, fee: bigint }>}
 *   `from` is the number of the block that holds the submission
 */
export async function submitJobWith(api, signer, model, payload, verification, { lifetime = 100 } = {}) {
  const fee = (await api.call.inferenceApi.quote(model, verification)).unwrap().toBigInt();
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  const submitted = await signAndWait(api, api.tx.inference.submitJob(model, payload, verification, fee, best + lifetime), signer);
  const event = findEvent(submitted.events, api.events.inference.JobSubmitted);
  if (!event) throw new Error('inference.submitJob emitted no JobSubmitted');
  const from = (await headerOf(api, submitted.blockHash)).number;
  return { job: event.data.job.toNumber(), from, fee };
}

/**
 * Submits a quorum job (`replicas`/`threshold`) for `model` with `text` as its
 * input, paying the quoted price, signed by `signer`.
 *
 * @returns {Promise<{ job: number, input: Uint8Array, from: number, fee: bigint }>}
 *   `from` is the number of the block that holds the submission
 */
export async function submitQuorumJob(api, signer, model, text, { replicas = 3, threshold = 2, lifetime = 100 } = {}) {
  const input = new TextEncoder().encode(text);
  const verification = { Quorum: { replicas, threshold } };
  return { input, ...(await submitJobWith(api, signer, model, { Inline: u8aToHex(input) }, verification, { lifetime })) };
}

/**
 * Submits an optimistic job (one worker, then a challenge window) for `model`
 * with `text` as its inline input, paying the quoted price, signed by `signer`.
 *
 * @returns {Promise<{ job: number, input: Uint8Array, from: number, fee: bigint }>}
 */
export async function submitOptimisticJob(api, signer, model, text, { lifetime = 100 } = {}) {
  const input = new TextEncoder().encode(text);
  return { input, ...(await submitJobWith(api, signer, model, { Inline: u8aToHex(input) }, 'Optimistic', { lifetime })) };
}

/**
 * Starts `deai-worker run` for each of `names` (entries of `workers`, as
 * `registerWorkers` returns them) and waits until each has logged that it
 * started; `attempt` numbers the log files (`run-<attempt>.log`).
 *
 * @returns {Promise<Record<string, ReturnType<typeof startWorker>>>} the processes by name
 */
export async function startWorkers(workers, names, { attempt = 1, timeoutMs = 60_000 } = {}) {
  const procs = {};
  for (const name of names) procs[name] = startWorker(workers[name], { attempt });
  for (const name of names) {
    await eventually(() => procs[name].log().includes('worker started'), { timeoutMs, what: `${name} to start` });
  }
  return procs;
}
