/**
 * Real `deai-worker` processes against a real `deai-node --dev`.
 *
 * The test builds a tiny BERT sentence encoder with `deai-worker tiny-model`,
 * registers it (with its real artifact hash, outputs quantized to 4 decimals),
 * and sets up Dave, Eve and Ferdie as workers with `deai-worker init` and
 * `deai-worker register`. Then:
 *
 * 1. three workers run; Alice submits a 3-replica quorum job through
 *    polkadot-js; the workers run the model, commit, reveal and the job
 *    settles with three agreeing, correctly signed receipts of a unit-length
 *    embedding; the workers' Prometheus metrics count the job;
 * 2. inputs by reference: the workers fetch an input from an HTTP server and
 *    agree on its output; a server that gives the bytes to the first worker
 *    only (and 404 to the others) ends the job unanswerable with nobody
 *    slashed;
 * 3. fault: Dave is killed (SIGKILL) after its commitment landed and before
 *    the reveal phase; restarted, it reveals the stored commitment, never
 *    sends a second one, and the job settles without a slash;
 * 4. refusals: a worker whose model file was tampered with refuses to load it
 *    (and exits), and a malformed config, an unregistered account and an
 *    unreachable node get errors that name the problem.
 */

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';

import { signAndWait, waitForEvent } from '../lib/chain.js';
import { signingPayload } from '../lib/inference.js';
import { DEFAULT_READY_TIMEOUT_MS, freePorts, printLogOnFailure, startNode } from '../lib/node.js';
import {
  eventually,
  metric,
  registerTinyModel,
  registerWorkers,
  startWorker,
  submitQuorumJob,
  tempDir,
  workerCli,
  workerCliOk,
  workerDir,
} from '../lib/worker.js';

const TEST_TIMEOUT_MS = 300_000;
const DECIMALS = 4;

describe('deai-worker', () => {
  let node;
  let alice;
  let keyring;
  let model;
  let modelDir;
  let modelHash;
  /** Worker directories by name. */
  const workers = {};
  /** Running worker processes by name. */
  const procs = {};

  const submitJob = (text) => submitQuorumJob(node.api, alice, model, text);

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    alice = keyring.addFromUri('//Alice');
    node = await startNode();
    const { api } = node;

    ({ model, modelDir, modelHash } = await registerTinyModel(api, keyring.addFromUri('//Bob'), { seed: 11, decimals: DECIMALS }));
    assert.match(modelHash, /^0x[0-9a-f]{64}$/);
    Object.assign(workers, await registerWorkers(keyring, ['dave', 'eve', 'ferdie'], { nodeUrl: node.wsUrl, model, modelDir }));
    const eligible = await api.call.computeStakingApi.eligibleWorkers(model);
    assert.equal(eligible.length, 3);
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 180_000 });

  after(async () => {
    await Promise.all(Object.values(procs).map((p) => p.stop()));
    await node?.stop();
  });

  afterEach((t) => {
    printLogOnFailure(t, node);
    if (t.passed === false) {
      for (const [name, p] of Object.entries(procs)) console.error(`--- ${name} worker log ---\n${p.tail()}`);
    }
  });

  test('three workers run a quorum job on a real model and it settles', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    for (const name of ['dave', 'eve', 'ferdie']) procs[name] = startWorker(workers[name]);
    for (const name of ['dave', 'eve', 'ferdie']) {
      await eventually(() => procs[name].log().includes('worker started'), { what: `${name} to start` });
      assert.match(procs[name].log(), /model loaded and verified/);
    }

    const { job, input, from } = await submitJob('the worker runs the model on chain data');
    const done = await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === job, {
      from,
      what: `job ${job} to complete`,
    });

    // The settled result: the majority output, which is a quantized unit vector.
    const status = (await (await api.at(done.hash)).call.inferenceApi.jobStatus(job)).unwrap();
    assert.ok(status.isSettled, 'the job is settled');
    const output = status.asSettled.output.unwrap();
    const values = api.createType('Vec<i32>', output.toU8a(true)).map((v) => v.toNumber());
    assert.equal(values.length, 32, 'the tiny encoder has 32 dimensions');
    const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0)) / 10 ** DECIMALS;
    assert.ok(Math.abs(norm - 1) < 1e-3, `the embedding has unit length (${norm})`);

    // Three receipts, one output hash, each signed by the worker's registered attestation key.
    const receipts = (await (await api.at(done.hash)).call.inferenceApi.jobReceipts(job)).unwrap();
    assert.equal(receipts.receipts.length, 3);
    const outputHash = u8aToHex(blake2AsU8a(output.toU8a(true), 256));
    for (const r of receipts.receipts) {
      assert.equal(u8aToHex(r.outputHash), outputHash, 'every worker revealed the same canonical output');
      const name = Object.keys(workers).find((n) => workers[n].address === r.worker.toString());
      assert.ok(name, `receipt of a test worker (${r.worker})`);
      assert.equal(u8aToHex(r.key), workers[name].attestationKey);
      // The receipt names this chain: the worker signed for its genesis hash.
      assert.equal(receipts.genesisHash.toHex(), api.genesisHash.toHex());
      const attested = { job, modelHash, inputHash: blake2AsU8a(input, 256), outputHash, worker: r.worker.toString() };
      assert.ok(signatureVerify(signingPayload(api, attested), r.signature.toU8a(), r.key.toU8a()).isValid);
    }

    // Each worker's metrics count the job once it has seen it settle.
    for (const name of ['dave', 'eve', 'ferdie']) {
      const url = workers[name].metricsUrl;
      await eventually(async () => (await metric(url, 'deai_worker_jobs_revealed_total')) === 1, {
        what: `${name}'s metrics to count the reveal`,
      });
      assert.equal(await metric(url, 'deai_worker_jobs_committed_total'), 1);
      assert.equal(await metric(url, 'deai_worker_jobs_seen_total'), 1);
      assert.equal(await metric(url, 'deai_worker_jobs_failed_total'), 0);
      assert.equal(await metric(url, 'deai_worker_inference_seconds_count'), 1);
    }

    // `status` reads the same from the chain and the store.
    const status2 = await workerCliOk(['status', '--config', workers.dave.config]);
    assert.match(status2, /status: Active, online: true, eligible: true/);
    assert.match(status2, /reputation: 1 completed/);
  });

  test('workers fetch an input by reference; a server that feeds one worker only gets nobody slashed', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    // The submitter's own server: `/input` serves the bytes to everyone, `/once` to the
    // first worker that asks and 404 to the rest.
    const bytes = new TextEncoder().encode('an input the workers fetch themselves');
    const served = { '/input': 0, '/once': 0 };
    const server = createServer((request, response) => {
      const count = (served[request.url] = (served[request.url] ?? 0) + 1);
      if (request.url === '/input' || (request.url === '/once' && count === 1)) {
        response.writeHead(200, { 'Content-Length': bytes.length }).end(Buffer.from(bytes));
      } else {
        response.writeHead(404).end('gone');
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${server.address().port}`;
    try {
      const verification = { Quorum: { replicas: 3, threshold: 2 } };
      const fee = (await api.call.inferenceApi.quote(model, verification)).unwrap().toBigInt();
      const submitReference = async (pathname) => {
        const best = (await api.rpc.chain.getHeader()).number.toNumber();
        const input = { Reference: { uri: `${base}${pathname}`, hash: u8aToHex(blake2AsU8a(bytes, 256)) } };
        const submitted = await signAndWait(api, api.tx.inference.submitJob(model, input, verification, fee, best + 100), alice);
        const event = submitted.events.map(({ event }) => event).find((e) => api.events.inference.JobSubmitted.is(e));
        const from = (await api.rpc.chain.getHeader(submitted.blockHash)).number.toNumber();
        return { job: event.data.job.toNumber(), from };
      };

      // Served to all: every worker fetches it, checks its hash and runs the model.
      const honest = await submitReference('/input');
      const done = await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === honest.job, {
        from: honest.from,
        what: `job ${honest.job} (input by reference) to complete`,
      });
      const receipts = (await (await api.at(done.hash)).call.inferenceApi.jobReceipts(honest.job)).unwrap();
      assert.equal(receipts.receipts.length, 3);
      assert.equal(new Set(receipts.receipts.map((r) => u8aToHex(r.outputHash))).size, 1, 'all three ran the same bytes');
      assert.equal(served['/input'], 3, 'each worker fetched the input once');

      // Served to one worker only: it answers the output alone, the other two say the
      // input cannot be fetched. The job ends unanswerable and the lone worker is unpaid,
      // not slashed.
      const attack = await submitReference('/once');
      const ended = await waitForEvent(api, api.events.inference.JobUnanswerable, (e) => e.data.job.toNumber() === attack.job, {
        from: attack.from,
        what: `job ${attack.job} (served to one worker) to end unanswerable`,
      });
      assert.equal(served['/once'], 3, 'every worker asked; one got the bytes');
      assert.equal(ended.event.data.workers.length, 2, 'the two that could not fetch are paid');
      for (let n = attack.from; n <= ended.number; n++) {
        const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
        const slashed = events.filter(({ event }) => api.events.inference.WorkerSlashed.is(event) && event.data.job.toNumber() === attack.job);
        assert.equal(slashed.length, 0, `no slash for job ${attack.job} in #${n}`);
      }
      const lone = (await (await api.at(ended.hash)).call.inferenceApi.jobReceipts(attack.job))
        .unwrap()
        .receipts.find((r) => !ended.event.data.workers.some((w) => w.toString() === r.worker.toString()));
      assert.ok(lone, 'the lone worker revealed the output it computed');
      const name = Object.keys(workers).find((n) => workers[n].address === lone.worker.toString());
      assert.match(procs[name].log(), new RegExp(`job=${attack.job}`));
    } finally {
      server.close();
    }
  });

  test('[fault:worker-restart] a worker killed between commit and reveal reveals after a restart', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    await Promise.all(Object.values(procs).map((p) => p.stop()));
    // A longer commit period, so the third worker can be held back without a timeout.
    const params = await api.query.inference.params();
    await signAndWait(api, api.tx.sudo.sudo(api.tx.inference.setParams({ ...params.toJSON(), commitPeriod: 40 })), alice);

    procs.dave = startWorker(workers.dave, { attempt: 2 });
    procs.eve = startWorker(workers.eve, { attempt: 2 });
    const { job, from } = await submitJob('a job that survives a crash');
    const committed = (name) =>
      waitForEvent(
        api,
        api.events.inference.ResultCommitted,
        (e) => e.data.job.toNumber() === job && e.data.worker.toString() === workers[name].address,
        { from, what: `${name}'s commitment` },
      );
    await Promise.all([committed('dave'), committed('eve')]);
    // Ferdie is not running, so the reveal phase cannot start: Dave dies holding a commitment.
    await procs.dave.kill();
    assert.equal(procs.dave.child.signalCode, 'SIGKILL');
    assert.doesNotMatch(procs.dave.log(), new RegExp(`job=${job}.*reveal sent`));

    procs.ferdie = startWorker(workers.ferdie, { attempt: 2 });
    const revealPhase = await waitForEvent(api, api.events.inference.RevealPhaseStarted, (e) => e.data.job.toNumber() === job, {
      from,
      what: 'the reveal phase',
    });
    procs.dave = startWorker(workers.dave, { attempt: 3 });
    const revealed = await waitForEvent(
      api,
      api.events.inference.ResultRevealed,
      (e) => e.data.job.toNumber() === job && e.data.worker.toString() === workers.dave.address,
      { from: revealPhase.number, what: "Dave's reveal after the restart" },
    );
    const completed = await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === job, {
      from: revealed.number,
      what: `job ${job} to complete`,
    });
    const receipts = (await (await api.at(completed.hash)).call.inferenceApi.jobReceipts(job)).unwrap();
    assert.equal(receipts.receipts.length, 3, 'all three revealed, Dave included');
    assert.equal(new Set(receipts.receipts.map((r) => u8aToHex(r.outputHash))).size, 1);

    // The restarted Dave revealed what it had committed before dying, and sent no new commitment.
    const restarted = procs.dave.log();
    assert.match(restarted, /reveal sent/);
    assert.doesNotMatch(restarted, /commitment sent/);
    assert.doesNotMatch(restarted, /computed/);
    // Nobody was slashed for the job.
    for (let n = from; n <= completed.number; n++) {
      const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
      assert.ok(!events.some(({ event }) => api.events.inference.WorkerSlashed.is(event)), `no slash in #${n}`);
    }
  });

  test('a tampered model, a bad config, an unregistered account and an unreachable node are refused', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Charlie registers for the model, but its copy of the weights has one flipped byte.
    const tampered = path.join(await tempDir('deai-tampered-'), 'tiny');
    mkdirSync(tampered);
    for (const file of readdirSync(modelDir)) copyFileSync(path.join(modelDir, file), path.join(tampered, file));
    const weights = readFileSync(path.join(tampered, 'model.safetensors'));
    weights[weights.length - 1] ^= 0x01;
    writeFileSync(path.join(tampered, 'model.safetensors'), weights);
    const charlie = await workerDir({ name: 'charlie', accountUri: '//Charlie', nodeUrl: node.wsUrl, modelId: model, modelDir: tampered });
    await workerCliOk(['register', '--config', charlie.config, '--bond', '2000']);
    const refused = await workerCli(['run', '--config', charlie.config], { timeoutMs: 60_000 });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refusing to load .*model\.safetensors: its blake2-256 hash is 0x[0-9a-f]+ but the registry says/);
    assert.ok(refused.stderr.includes(modelHash.slice(2)), 'the error names the registered hash');

    // A config that is not TOML.
    const bad = path.join(charlie.dir, 'bad.toml');
    writeFileSync(bad, 'node_url = [unclosed');
    const malformed = await workerCli(['run', '--config', bad]);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /the config file .*bad\.toml is malformed/);
    const missing = await workerCli(['run', '--config', path.join(charlie.dir, 'absent.toml')]);
    assert.match(missing.stderr, /cannot read the config file .*deai-worker init/);

    // An account that never registered.
    const nobody = await workerDir({ name: 'nobody', accountUri: '//deai-e2e/nobody', nodeUrl: node.wsUrl, modelId: model, modelDir });
    const unregistered = await workerCli(['run', '--config', nobody.config]);
    assert.equal(unregistered.code, 1);
    assert.match(unregistered.stderr, /is not a registered worker on ws:\/\/127\.0\.0\.1:\d+: run `deai-worker register` first/);

    // A node nobody listens on.
    const [closed] = await freePorts(1);
    const text = readFileSync(nobody.config, 'utf8').replace(/^node_url = ".*"$/m, `node_url = "ws://127.0.0.1:${closed}"`);
    writeFileSync(nobody.config, text);
    const unreachable = await workerCli(['run', '--config', nobody.config]);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, new RegExp(`cannot reach the node at ws://127\\.0\\.0\\.1:${closed}`));
  });
});
