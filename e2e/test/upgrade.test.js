/**
 * Runtime upgrades and try-runtime checks against a real `deai-node`:
 *
 * 1. dev chain: after real activity (a model, three real `deai-worker`s and a
 *    settled quorum job), a snapshot of the whole state passes the try-runtime
 *    checks (`deai-runtime-fuzz try-runtime`: every pallet's upgrade hooks,
 *    decoding of the entire state and `try_state`, twice, the second run
 *    changing nothing); then sudo upgrades the chain to the same code one
 *    `spec_version` later (`setCode`), the parachain's validation function is
 *    applied, every DeAI storage entry is unchanged, and the workers settle a
 *    new job on the upgraded runtime;
 * 2. fast-runtime local chain (no sudo): a Runtime-track proposal authorizes
 *    the new code's hash, token holders pass it, anyone applies the authorized
 *    code (`applyAuthorizedUpgrade`), and the DeAI storage is unchanged.
 *
 * The newer Wasms are built by `scripts/fast-runtime.sh` (feature
 * `upgrade-rehearsal`) next to the fast-runtime chain spec.
 */

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady, xxhashAsHex } from '@polkadot/util-crypto';

import { signAndWait, stateSnapshot, waitForEvent } from '../lib/chain.js';
import { closeApproved, enactedByTheChain, propose, voteAye, votersNeeded, waitUntilBlock } from '../lib/governance.js';
import { DEFAULT_READY_TIMEOUT_MS, fastChainSpecPath, printLogOnFailure, startNode } from '../lib/node.js';
import {
  eventually,
  printWorkerLogsOnFailure,
  registerTinyModel,
  registerWorkers,
  startWorker,
  stopWorkersAndNode,
  submitQuorumJob,
  tempDir,
} from '../lib/worker.js';

const run = promisify(execFile);
const TEST_TIMEOUT_MS = 420_000;
const SETUP_TIMEOUT_MS = DEFAULT_READY_TIMEOUT_MS + 240_000;
const DEAI_PALLETS = ['ModelRegistry', 'DataRewards', 'ComputeStaking', 'Inference', 'Governance'];

/** Where the build puts the target directory's outputs. */
const targetDir = () =>
  process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(os.homedir(), '.cache', 'deai', 'target');

/** The newer Wasm `name` (`next` or `fast_next`) that scripts/fast-runtime.sh builds. */
function nextWasm(name) {
  const file = path.join(path.dirname(fastChainSpecPath()), `deai_runtime_${name}.compact.compressed.wasm`);
  if (!existsSync(file)) throw new Error(`${file} not found: build it with scripts/fast-runtime.sh`);
  return readFileSync(file);
}

/** The `deai-runtime-fuzz` binary (fuzz/), which runs the try-runtime checks. */
function fuzzBinary() {
  const bin = process.env.DEAI_RUNTIME_FUZZ ?? path.join(targetDir(), 'release', 'deai-runtime-fuzz');
  if (!existsSync(bin)) throw new Error(`${bin} not found: build it with scripts/fuzz.sh or set DEAI_RUNTIME_FUZZ`);
  return bin;
}

/** Every storage entry of the DeAI pallets at the best block, as a Map of hex key to hex value. */
async function deaiStorage(api) {
  const prefixes = DEAI_PALLETS.map((name) => xxhashAsHex(name, 128));
  const pairs = await stateSnapshot(api, await api.rpc.chain.getBlockHash());
  return new Map(pairs.filter(([key]) => prefixes.some((prefix) => key.startsWith(prefix))));
}

/** Fails with the first entry that differs between `before` and `after`. */
function assertSameStorage(before, after) {
  assert.ok(before.size > 0, 'the DeAI pallets hold state');
  for (const [key, value] of before) assert.equal(after.get(key), value, `storage ${key} is unchanged`);
  for (const key of after.keys()) assert.ok(before.has(key), `no new storage entry ${key}`);
}

/**
 * Waits until the node runs `code` as `specVersion`. Read over raw JSON-RPC: a
 * polkadot-js api that lived through the upgrade may decode the blocks around it
 * with the other runtime's type registry, so nothing here decodes them.
 */
async function upgradedTo(api, code, specVersion) {
  const send = (method, params) => api._rpcCore.provider.send(method, params);
  const codeHex = u8aToHex(code);
  await eventually(
    async () => (await send('state_getRuntimeVersion', [])).specVersion === specVersion && (await send('state_getStorage', ['0x3a636f6465'])) === codeHex,
    { timeoutMs: 120_000, what: `the new code to be applied and spec_version ${specVersion} to run` },
  );
}

describe('runtime upgrade by sudo on the dev chain, with try-runtime checks', () => {
  let node;
  let keyring;
  let alice;
  let fixture;
  const procs = {};

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    alice = keyring.addFromUri('//Alice');
    node = await startNode();
    const { api } = node;
    fixture = await registerTinyModel(api, keyring.addFromUri('//Bob'), { seed: 31 });
    fixture.workers = await registerWorkers(keyring, ['dave', 'eve', 'ferdie'], { nodeUrl: node.wsUrl, ...fixture });
    for (const [name, dir] of Object.entries(fixture.workers)) procs[name] = startWorker(dir);
    const { job, from } = await submitQuorumJob(api, alice, fixture.model, 'activity before the upgrade');
    await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === job, { from });
    // Quiet from here: the storage comparison needs no heartbeats in between.
    await Promise.all(Object.values(procs).map((p) => p.stop()));
  }, { timeout: SETUP_TIMEOUT_MS });

  after(() => stopWorkersAndNode(procs, node));

  afterEach((t) => {
    printLogOnFailure(t, node);
    printWorkerLogsOnFailure(t, procs);
  });

  test('try-runtime checks pass on a snapshot of the active chain', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { api } = node;
    const at = await api.rpc.chain.getBlockHash();
    const pairs = await stateSnapshot(api, at);
    assert.ok(pairs.some(([key]) => key === u8aToHex(new TextEncoder().encode(':code'))), 'the snapshot has the code');
    const file = path.join(await tempDir('deai-snapshot-'), 'snapshot.json');
    writeFileSync(file, JSON.stringify({ block: at.toHex(), pairs }));
    const { stdout } = await run(fuzzBinary(), ['try-runtime', file], { timeout: 120_000 });
    assert.match(stdout, new RegExp(`${pairs.length} keys.*passed, twice, and the second run left the state unchanged`));
    t.diagnostic(stdout.trim());

    // A snapshot that is not one is refused with a message naming the problem.
    writeFileSync(file, JSON.stringify({ pairs: [['0x00', '0x00']] }));
    await assert.rejects(run(fuzzBinary(), ['try-runtime', file]), (err) => err.code === 1 && /has no :code/.test(err.stderr));
  });

  test('sudo upgrades to the next spec_version; storage is intact and jobs go on', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    const version = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
    const code = nextWasm('next');
    const before = await deaiStorage(api);

    const setCode = api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(u8aToHex(code)), { refTime: 0, proofSize: 0 });
    const sent = await signAndWait(api, setCode, alice, { timeoutMs: 120_000 });
    const stored = sent.events.map(({ event }) => event).find((e) => api.events.parachainSystem.ValidationFunctionStored.is(e));
    assert.ok(stored, 'parachainSystem.ValidationFunctionStored: the upgrade is scheduled');
    await upgradedTo(api, code, version + 1);

    assertSameStorage(before, await deaiStorage(api));

    // The workers pick the new runtime up and settle a job on it. A polkadot-js api that
    // lived through the upgrade re-reads only the V14 metadata, which lacks the custom
    // runtime APIs (`api.call.inferenceApi`): connect afresh, as a dapp would.
    const fresh = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
    try {
      assert.equal(fresh.runtimeVersion.specVersion.toNumber(), version + 1);
      for (const [name, dir] of Object.entries(fixture.workers)) procs[name] = startWorker(dir, { attempt: 2 });
      const next = await submitQuorumJob(fresh, alice, fixture.model, 'a job on the upgraded runtime');
      const done = await waitForEvent(fresh, fresh.events.inference.JobCompleted, (e) => e.data.job.toNumber() === next.job, {
        from: next.from,
      });
      assert.equal(done.event.data.workers.length, 3);
    } finally {
      await fresh.disconnect();
    }
  });
});

describe('runtime upgrade through governance on the fast-runtime local chain', () => {
  let node;
  let keyring;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const chainSpec = fastChainSpecPath();
    if (!existsSync(chainSpec)) throw new Error(`${chainSpec} not found: build it with scripts/fast-runtime.sh`);
    node = await startNode({ chainSpec });
    await registerTinyModel(node.api, keyring.addFromUri('//Bob'), { seed: 32 });
  }, { timeout: SETUP_TIMEOUT_MS });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('a Runtime-track proposal authorizes the code; applied, storage is intact', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    const version = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
    const code = nextWasm('fast_next');
    const codeHash = blake2AsHex(code, 256);
    const before = await deaiStorage(api);

    const alice = keyring.addFromUri('//Alice');
    const authorize = api.tx.system.authorizeUpgrade(codeHash);
    const { index, votingEnds, quorum } = await propose(api, alice, 'Runtime', authorize, 'upgrade to the rehearsal runtime');
    const { needed } = await votersNeeded(api, quorum);
    const pool = ['Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie', 'Alice//stash', 'Bob//stash', 'Charlie//stash'];
    assert.ok(needed <= pool.length, `${needed} voters needed`);
    await voteAye(api, index, pool.slice(0, needed).map((name) => [keyring.addFromUri(`//${name}`), 'None']));
    await waitUntilBlock(api, votingEnds);
    const { enactAt } = await closeApproved(api, alice, index);
    const enacted = await enactedByTheChain(api, index, enactAt);
    assert.ok(
      enacted.events.some(({ event }) => api.events.system.UpgradeAuthorized.is(event) && event.data.codeHash.toHex() === codeHash),
      'system.UpgradeAuthorized for the proposed code',
    );
    const deaiAfterVoting = await deaiStorage(api);

    // Anyone may now apply exactly that code.
    const applied = await signAndWait(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), keyring.addFromUri('//Ferdie'), {
      timeoutMs: 120_000,
    });
    assert.ok(
      applied.events.some(({ event }) => api.events.parachainSystem.ValidationFunctionStored.is(event)),
      'parachainSystem.ValidationFunctionStored: the authorized code is scheduled',
    );
    await upgradedTo(api, code, version + 1);

    // The proposal's own records changed while it ran; everything else is as it was.
    const after = await deaiStorage(api);
    assertSameStorage(deaiAfterVoting, after);
    const governancePrefix = xxhashAsHex('Governance', 128);
    const untouched = new Map([...before].filter(([key]) => !key.startsWith(governancePrefix)));
    assertSameStorage(untouched, new Map([...after].filter(([key]) => !key.startsWith(governancePrefix))));
  });
});
