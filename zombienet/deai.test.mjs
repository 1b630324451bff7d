/**
 * The DeAI protocol across the zombienet testnet: a real relay chain, two `deai-node`
 * collators, real `deai-worker` processes attached to different collators.
 *
 * 1. Bob registers a tiny BERT sentence encoder (`deai-worker tiny-model`, its real
 *    artifact hash, outputs quantized to 4 decimals) through the first collator; the
 *    second collator sees it.
 * 2. Dave and Ferdie (on the first collator) and Eve (on the second) register as workers
 *    serving it with `deai-worker register` (2,000 DEAI bond each; the `local_testnet`
 *    preset funds them and needs no sudo or governance for any of this; a registration the
 *    node drops as invalid is retried, see `registerWorker`) and run `deai-worker run`.
 * 3. Alice submits a 3-replica quorum job through the second collator; the workers run the
 *    model, commit and reveal through their own collators, and the job settles with three
 *    agreeing receipts, each signed by the worker's registered attestation key. The
 *    settlement reaches the relay chain's finality on both collators.
 *
 * Run by 0001-deai-network.zndsl (through deai-job.js), or by hand against a network
 * started with `zombienet spawn`:
 *
 *   node --test-reporter=spec zombienet/deai.test.mjs
 *
 * Environment: DEAI_ZOMBIENET_COLLATORS, the collators' WebSocket endpoints separated by
 * commas (default ws://127.0.0.1:9910,ws://127.0.0.1:9911, the ports of local.toml);
 * DEAI_WORKER, the worker binary (see e2e/lib/worker.js).
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';

// e2e's polkadot-js, by path: these are the module instances e2e/lib uses (a bare
// '@polkadot/api' here would find the older copy zombienet installs in zombienet/).
import { ApiPromise, Keyring, WsProvider } from '../e2e/node_modules/@polkadot/api/index.js';
import { u8aToHex } from '../e2e/node_modules/@polkadot/util/index.js';
import { blake2AsU8a, cryptoWaitReady, signatureVerify } from '../e2e/node_modules/@polkadot/util-crypto/index.js';

import { DEAI, findEvent, modelArgs, signAndWait, waitForBlock, withTimeout } from '../e2e/lib/chain.js';
import { signingPayload } from '../e2e/lib/inference.js';
import { eventually, metric, startWorker, tempDir, tinyModel, workerCli, workerDir } from '../e2e/lib/worker.js';

const COLLATORS = (process.env.DEAI_ZOMBIENET_COLLATORS || 'ws://127.0.0.1:9910,ws://127.0.0.1:9911')
  .split(',')
  .map((url) => url.trim())
  .filter(Boolean);
const TEST_TIMEOUT_MS = 600_000;
/** Parachain blocks come every 6 s; a transaction may wait a few of them. */
const TX_TIMEOUT_MS = 120_000;
const DECIMALS = 4;
/** The workers, and the collator (index into COLLATORS) each one talks to. */
const WORKERS = [
  { name: 'dave', uri: '//Dave', collator: 0 },
  { name: 'eve', uri: '//Eve', collator: 1 },
  { name: 'ferdie', uri: '//Ferdie', collator: 0 },
];

// A SIGTERM or Ctrl-C (deai-job.js stops an overdue test with SIGTERM) ends the process
// through `exit`, whose handlers in e2e/lib/worker.js kill the worker processes.
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]]) {
  process.on(signal, () => {
    console.error(`deai.test.mjs: ${signal}, stopping`);
    process.exit(128 + number);
  });
}

const bestNumber = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();
const finalizedNumber = async (api) =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

async function connect(url) {
  const provider = new WsProvider(url, 2_000);
  try {
    return await withTimeout(ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }), 60_000, `the api at ${url}`);
  } catch (err) {
    await provider.disconnect().catch(() => {});
    throw new Error(`cannot connect to the collator at ${url}: ${err.message}`);
  }
}

describe('the DeAI protocol on the zombienet testnet', { timeout: 3 * TEST_TIMEOUT_MS }, () => {
  /** One api per collator. */
  const apis = [];
  let keyring;
  let model;
  let modelDir;
  let modelHash;
  /** Worker directories and processes by name. */
  const workers = {};
  const procs = {};

  // `deai-worker register` for `name`. On this network the relay chain's forks reorganize
  // the parachain about once a minute; the worker counts its transactions' mortality from
  // the finalized block, so a reorg does not invalidate them (an earlier worker counted from
  // the best block and lost registrations here).
  async function registerWorker(name) {
    const args = ['register', '--config', workers[name].config, '--bond', '2000'];
    const result = await workerCli(args, { timeoutMs: TX_TIMEOUT_MS });
    if (result.code !== 0) throw new Error(`deai-worker ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
    return result.stdout;
  }


  before(async () => {
    assert.ok(COLLATORS.length >= 2, `two collator endpoints needed, got ${COLLATORS.join(', ')}`);
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    for (const url of COLLATORS.slice(0, 2)) apis.push(await connect(url));
  });

  after(async () => {
    await Promise.all(Object.values(procs).map((p) => p.stop()));
    await Promise.all(apis.map((api) => api.disconnect().catch(() => {})));
  });

  afterEach((t) => {
    if (t.passed === false) {
      for (const [name, p] of Object.entries(procs)) console.error(`--- ${name} worker log ---\n${p.tail()}`);
    }
  });

  test('both collators serve the local_testnet chain, parachain 2000', async () => {
    const [a, b] = apis;
    for (const api of apis) {
      assert.equal((await api.rpc.system.chain()).toString(), 'DeAI Local Testnet');
      assert.equal((await api.query.parachainInfo.parachainId()).toNumber(), 2000);
      assert.equal((await api.query.sudo.key()).isNone, true, 'no sudo key on local_testnet');
    }
    assert.equal(a.genesisHash.toHex(), b.genesisHash.toHex(), 'one chain');
    // Both follow the chain: each sees blocks the other imported.
    const target = Math.max(await bestNumber(a), await bestNumber(b)) + 1;
    await Promise.all(apis.map((api) => waitForBlock(api, { atLeast: target, timeoutMs: TX_TIMEOUT_MS })));
  });

  test('a model registered through one collator is visible on the other', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [a, b] = apis;
    modelDir = path.join(await tempDir('deai-zombienet-model-'), 'tiny');
    modelHash = await tinyModel(modelDir, 23);
    assert.match(modelHash, /^0x[0-9a-f]{64}$/);
    const registered = await signAndWait(
      a,
      a.tx.modelRegistry.register(...modelArgs({
        name: 'tiny-sentence-encoder',
        version: '1.0.0',
        artifactHash: modelHash,
        uris: ['file://tiny'],
        framework: 'Safetensors',
        license: 'Apache-2.0',
        inputSpec: { kind: 'Text', maxLen: 256 },
        outputSpec: { QuantizedF32: { decimals: DECIMALS } },
        price: 2n * DEAI,
        royalty: 0,
        parent: null,
        datasets: [],
      })),
      keyring.addFromUri('//Bob'),
      { timeoutMs: TX_TIMEOUT_MS },
    );
    model = findEvent(registered.events, a.events.modelRegistry.ModelRegistered).data.model.toNumber();
    const seen = await eventually(async () => (await b.call.modelRegistryApi.model(model)).unwrapOr(null), {
      timeoutMs: TX_TIMEOUT_MS,
      what: `model ${model} on the second collator`,
    });
    assert.equal(u8aToHex(seen.model.spec.artifactHash), modelHash);
  });

  test('workers on both collators register and serve the model', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(model !== undefined, 'the model is registered');
    for (const w of WORKERS) {
      const nodeUrl = COLLATORS[w.collator];
      workers[w.name] = await workerDir({ name: w.name, accountUri: w.uri, nodeUrl, modelId: model, modelDir });
      workers[w.name].address = keyring.addFromUri(w.uri).address;
      workers[w.name].nodeUrl = nodeUrl;
      const out = await registerWorker(w.name);
      assert.match(out, /registered .* with a bond of 2000 DEAI serving models \[\d+\]/);
    }
    for (const api of apis) {
      await eventually(async () => (await api.call.computeStakingApi.eligibleWorkers(model)).length === WORKERS.length, {
        timeoutMs: TX_TIMEOUT_MS,
        what: `${WORKERS.length} eligible workers on every collator`,
      });
    }
    for (const w of WORKERS) procs[w.name] = startWorker(workers[w.name]);
    for (const w of WORKERS) {
      await eventually(() => procs[w.name].log().includes('worker started'), { timeoutMs: 60_000, what: `${w.name} to start` });
      assert.match(procs[w.name].log(), /model loaded and verified/);
    }
  });

  test('a quorum job submitted on one collator settles and is finalized on both', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.equal(Object.keys(procs).length, WORKERS.length, 'the workers run');
    const [a, b] = apis;
    const alice = keyring.addFromUri('//Alice');
    const verification = { Quorum: { replicas: 3, threshold: 2 } };
    const fee = (await b.call.inferenceApi.quote(model, verification)).unwrap().toBigInt();
    const deadline = (await bestNumber(b)) + 100;
    const input = new TextEncoder().encode('a job that crosses the relay chain');
    const submitted = await signAndWait(
      b,
      b.tx.inference.submitJob(model, { Inline: u8aToHex(input) }, verification, fee, deadline),
      alice,
      { timeoutMs: TX_TIMEOUT_MS },
    );
    const job = findEvent(submitted.events, b.events.inference.JobSubmitted).data.job.toNumber();
    console.log(`job ${job} submitted through ${COLLATORS[1]}, fee ${fee} planck`);

    // Watch it settle from the other collator.
    const settledAt = await eventually(
      async () => {
        const status = (await a.call.inferenceApi.jobStatus(job)).unwrapOr(null);
        return status?.isSettled ? bestNumber(a) : null;
      },
      { timeoutMs: 300_000, what: `job ${job} to settle` },
    );
    console.log(`job ${job} settled by block #${settledAt}`);

    // The relay chain finalizes the block that settled it; both collators agree on the result.
    for (const api of apis) {
      await eventually(async () => (await finalizedNumber(api)) >= settledAt, {
        timeoutMs: 180_000,
        what: `block #${settledAt} to be finalized`,
      });
    }
    const finalized = await Promise.all(
      apis.map(async (api) => {
        const at = await api.at(await api.rpc.chain.getFinalizedHead());
        return { status: (await at.call.inferenceApi.jobStatus(job)).unwrap(), receipts: (await at.call.inferenceApi.jobReceipts(job)).unwrap() };
      }),
    );
    for (const { status } of finalized) assert.ok(status.isSettled, 'settled in the finalized state');
    const { status, receipts } = finalized[0];
    assert.equal(finalized[1].status.toHex(), status.toHex(), 'both collators finalized the same settlement');
    const settled = status.asSettled;
    assert.ok(settled.outcome.isCompleted, `the job completed (${settled.outcome.toString()})`);

    // The winning output: a quantized unit vector, the tiny encoder's 32 dimensions.
    const output = settled.output.unwrap();
    const values = a.createType('Vec<i32>', output.toU8a(true)).map((v) => v.toNumber());
    assert.equal(values.length, 32);
    const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) / 10 ** DECIMALS;
    assert.ok(Math.abs(norm - 1) < 1e-3, `the embedding has unit length (${norm})`);
    const outputHash = u8aToHex(blake2AsU8a(output.toU8a(true), 256));
    assert.equal(u8aToHex(settled.outcome.asCompleted.outputHash), outputHash);

    // Three receipts, one per worker, on both collators' sides, each signed by its attestation key.
    assert.equal(receipts.receipts.length, 3);
    const collatorsUsed = new Set();
    for (const r of receipts.receipts) {
      const name = Object.keys(workers).find((n) => workers[n].address === r.worker.toString());
      assert.ok(name, `a receipt of a test worker (${r.worker})`);
      collatorsUsed.add(workers[name].nodeUrl);
      assert.equal(u8aToHex(r.outputHash), outputHash, `${name} revealed the winning output`);
      assert.equal(u8aToHex(r.key), workers[name].attestationKey);
      const payload = signingPayload(a, { job, modelHash, inputHash: blake2AsU8a(input, 256), outputHash, worker: r.worker });
      assert.ok(signatureVerify(payload, r.signature.toU8a(), r.key.toU8a()).isValid, `${name}'s signature`);
    }
    assert.equal(collatorsUsed.size, 2, 'the winning workers talked to different collators');

    // Every worker counts the job it revealed.
    for (const w of WORKERS) {
      await eventually(async () => (await metric(workers[w.name].metricsUrl, 'deai_worker_jobs_revealed_total')) === 1, {
        what: `${w.name}'s metrics to count the reveal`,
      });
      assert.equal(await metric(workers[w.name].metricsUrl, 'deai_worker_jobs_failed_total'), 0);
    }
  });
});
