/**
 * Injected faults against real `deai-node` and `deai-worker` processes, each
 * a test that fails when the protocol does not hold (run them alone with
 * `scripts/faults.sh`):
 *
 * 1. node restart: the node is killed (SIGKILL) while a job is in its commit
 *    phase and started again on the same database and ports; the chain, the
 *    job and its escrow are all still there, the workers reconnect by
 *    themselves and the job settles; a job submitted after the restart
 *    settles too;
 * 2. wrong results: a worker configured to alter its outputs
 *    (`fault_wrong_results`) loses a 3/2 quorum: it is slashed for a wrong
 *    result and the two honest workers are rewarded;
 * 3. liveness (on the fast-runtime chain, where a worker is offline 20 blocks
 *    after its last heartbeat): a stopped worker stays assigned to the job it
 *    was drawn for, is slashed for the timeout while the other two settle it;
 *    once offline it is skipped by new draws (a 2/2 job settles without it, a
 *    3-replica job is refused at submission with `NotEnoughWorkers`), and it is
 *    eligible again after its first heartbeat on restart.
 *
 * A worker killed between commit and reveal is in `worker.test.js`.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { eventsBetween, waitForEvent } from '../lib/chain.js';
import { DEFAULT_READY_TIMEOUT_MS, fastChainSpecPath, printLogOnFailure, startNode } from '../lib/node.js';
import { eventually, registerTinyModel, registerWorkers, startWorker, submitQuorumJob } from '../lib/worker.js';

const TEST_TIMEOUT_MS = 300_000;
const SETUP_TIMEOUT_MS = DEFAULT_READY_TIMEOUT_MS + 180_000;
const NAMES = ['dave', 'eve', 'ferdie'];

/**
 * A node, a tiny model owned by Bob, and Dave, Eve and Ferdie registered as
 * workers for it; `configure(name, text)` may rewrite a worker's config.
 */
function fixture({ chainSpec, configure = (_name, text) => text } = {}) {
  const f = { procs: {}, workers: {} };
  before(async () => {
    await cryptoWaitReady();
    f.keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    f.alice = f.keyring.addFromUri('//Alice');
    if (chainSpec && !existsSync(chainSpec())) {
      throw new Error(`fast-runtime chain spec not found at ${chainSpec()}: build it with scripts/fast-runtime.sh`);
    }
    f.node = await startNode(chainSpec ? { chainSpec: chainSpec() } : {});
    const { api } = f.node;
    Object.assign(f, await registerTinyModel(api, f.keyring.addFromUri('//Bob'), { seed: 21 }));
    f.workers = await registerWorkers(f.keyring, NAMES, { nodeUrl: f.node.wsUrl, model: f.model, modelDir: f.modelDir });
    for (const name of NAMES) {
      const config = f.workers[name].config;
      writeFileSync(config, configure(name, readFileSync(config, 'utf8')));
    }
    assert.equal((await api.call.computeStakingApi.eligibleWorkers(f.model)).length, 3);
  }, { timeout: SETUP_TIMEOUT_MS });
  after(async () => {
    await Promise.all(Object.values(f.procs).map((p) => p.stop()));
    await f.node?.stop();
  });
  afterEach((t) => {
    printLogOnFailure(t, f.node);
    if (t.passed === false) {
      for (const [name, p] of Object.entries(f.procs)) console.error(`--- ${name} worker log ---\n${p.tail()}`);
    }
  });
  f.start = async (names, attempt = 1) => {
    for (const name of names) f.procs[name] = startWorker(f.workers[name], { attempt });
    for (const name of names) {
      await eventually(() => f.procs[name].log().includes('worker started'), { timeoutMs: 60_000, what: `${name} to start` });
    }
  };
  f.address = (name) => f.workers[name].address;
  f.nameOf = (account) => NAMES.find((n) => f.address(n) === account.toString());
  return f;
}

describe('fault: the node is killed and restarted mid-job', () => {
  const f = fixture();

  test('[fault:node-restart] the chain, the job and its escrow survive; workers reconnect; jobs settle', { timeout: TEST_TIMEOUT_MS }, async () => {
    await f.start(NAMES);
    let { api } = f.node;
    const { job, from, fee } = await submitQuorumJob(api, f.alice, f.model, 'a job that outlives its node');
    await waitForEvent(api, api.events.inference.ResultCommitted, (e) => e.data.job.toNumber() === job, {
      from,
      what: `a first commitment to job ${job}`,
    });
    const before = await api.rpc.chain.getHeader();
    const heldBefore = (await api.query.balances.holds(f.alice.address)).toJSON();
    const statusBefore = (await api.call.inferenceApi.jobStatus(job)).unwrap();
    assert.ok(statusBefore.isOpen, `job ${job} is open when the node dies`);

    await f.node.kill();
    // The workers lose the node; they keep running and retry.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    for (const name of NAMES) assert.equal(f.procs[name].child.exitCode, null, `${name} is still running`);
    f.node = await f.node.restart();
    ({ api } = f.node);

    // The database kept everything: the best block, the job and the escrow.
    const restarted = await api.rpc.chain.getHeader();
    assert.ok(restarted.number.toNumber() >= before.number.toNumber(), 'the chain resumes at its old best block');
    assert.equal((await api.rpc.chain.getBlockHash(before.number)).toHex(), before.hash.toHex(), 'with the same blocks');
    assert.deepEqual((await api.query.balances.holds(f.alice.address)).toJSON(), heldBefore, "Alice's escrow is still held");
    assert.ok((await api.call.inferenceApi.jobStatus(job)).unwrap().isOpen, `job ${job} is still open`);

    const done = await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === job, {
      from,
      what: `job ${job} to complete after the restart`,
    });
    const split = done.event.data.split;
    const accounted = ['workers', 'owner', 'data', 'treasury', 'refunded'].reduce((sum, k) => sum + split[k].toBigInt(), 0n);
    assert.equal(accounted, fee, 'every unit of the fee is in the split');
    assert.equal(done.event.data.workers.length, 3, 'all three workers took part');
    for (const name of NAMES) {
      const log = f.procs[name].log();
      assert.match(log, /lost the node/, `${name} noticed the node was gone`);
      assert.match(log, /reconnected to the node/, `${name} reconnected by itself`);
    }

    // A job submitted after the restart runs as usual.
    const second = await submitQuorumJob(api, f.alice, f.model, 'a job after the restart');
    await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === second.job, {
      from: second.from,
      what: `job ${second.job} to complete`,
    });
    const escrow = (await api.query.balances.holds(f.alice.address)).filter((h) => h.id.isInference && h.id.asInference.isJobEscrow);
    assert.deepEqual(escrow.map((h) => h.amount.toString()), [], 'no escrow is left on hold');
  });
});

describe('fault: a worker submits wrong results', () => {
  // Top-level keys come before the [[models]] table.
  const f = fixture({ configure: (name, text) => (name === 'ferdie' ? `fault_wrong_results = true\n${text}` : text) });

  test('[fault:wrong-result] it is slashed for a wrong result and the honest workers are paid', { timeout: TEST_TIMEOUT_MS }, async () => {
    await f.start(NAMES);
    assert.match(f.procs.ferdie.log(), /fault_wrong_results is set/);
    const { api } = f.node;
    const bondBefore = (await api.call.computeStakingApi.worker(f.address('ferdie'))).unwrap().bonded.toBigInt();
    const { job, from } = await submitQuorumJob(api, f.alice, f.model, 'two honest workers and one liar');
    const done = await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === job, {
      from,
      what: `job ${job} to complete`,
    });
    const winners = done.event.data.workers.map(f.nameOf).sort();
    assert.deepEqual(winners, ['dave', 'eve'], 'the honest majority wins');

    const forJob = (e) => e.data.job.toNumber() === job;
    const slashes = await eventsBetween(api, api.events.inference.WorkerSlashed, forJob, from, done.number);
    assert.equal(slashes.length, 1, 'exactly one worker is slashed');
    assert.equal(f.nameOf(slashes[0].data.worker), 'ferdie');
    assert.ok(slashes[0].data.reason.isWrongResult, `slashed for a wrong result (${slashes[0].data.reason})`);
    const amount = slashes[0].data.amount.toBigInt();
    assert.ok(amount > 0n, 'the slash takes stake');
    const bondAfter = (await (await api.at(done.hash)).call.computeStakingApi.worker(f.address('ferdie'))).unwrap().bonded.toBigInt();
    assert.equal(bondBefore - bondAfter, amount, "the slash came out of Ferdie's bond");

    const rewards = await eventsBetween(api, api.events.computeStaking.Rewarded, forJob, from, done.number);
    assert.deepEqual(rewards.map((e) => f.nameOf(e.data.worker)).sort(), ['dave', 'eve'], 'only the honest workers are rewarded');
    for (const e of rewards) assert.ok(e.data.amount.toBigInt() > 0n);
    const revealed = await eventsBetween(api, api.events.inference.ResultRevealed, forJob, from, done.number);
    assert.equal(new Set(revealed.map((e) => e.data.outputHash.toHex())).size, 2, 'two distinct outputs were revealed');
  });
});

describe('fault: a worker stops for longer than the liveness window', () => {
  const f = fixture({ chainSpec: fastChainSpecPath });

  test('[fault:liveness] its job times out and settles without it; it is skipped until it is back', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = f.node;
    const offlineAfter = api.consts.computeStaking.offlineAfter.toNumber();
    assert.ok(offlineAfter <= 50, `the fast runtime's OfflineAfter is short (${offlineAfter}); rebuild it with scripts/fast-runtime.sh`);
    await f.start(NAMES);
    // Ferdie stops before the job is drawn, but is still online by the chain's rules.
    await f.procs.ferdie.stop();
    // A short lifetime: with one assignee silent, the commit phase lasts until the
    // deadline less the reveal period.
    const { job, from, fee } = await submitQuorumJob(api, f.alice, f.model, 'a job whose third worker is gone', { lifetime: 30 });
    const assigned = await waitForEvent(api, api.events.inference.JobAssigned, (e) => e.data.job.toNumber() === job, { from });
    assert.deepEqual(assigned.event.data.workers.map(f.nameOf).sort(), NAMES, 'all three are drawn');

    const done = await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === job, {
      from,
      timeoutMs: 240_000,
      what: `job ${job} to settle without Ferdie`,
    });
    assert.ok(done.number > assigned.event.data.commitUntil.toNumber(), 'settled after the commit phase ran out');
    assert.deepEqual(done.event.data.workers.map(f.nameOf).sort(), ['dave', 'eve']);
    const slashes = await eventsBetween(api, api.events.inference.WorkerSlashed, (e) => e.data.job.toNumber() === job, from, done.number);
    assert.deepEqual(slashes.map((e) => [f.nameOf(e.data.worker), e.data.reason.type]), [['ferdie', 'Timeout']]);
    const split = done.event.data.split;
    assert.ok(split.refunded.toBigInt() > 0n, "Ferdie's replica slot is refunded to the submitter");
    const accounted = ['workers', 'owner', 'data', 'treasury', 'refunded'].reduce((sum, k) => sum + split[k].toBigInt(), 0n);
    assert.equal(accounted, fee);

    // Ferdie goes offline OfflineAfter blocks after its last heartbeat and is no longer drawn.
    const lastHeartbeat = (await api.call.computeStakingApi.worker(f.address('ferdie'))).unwrap().lastHeartbeat.toNumber();
    await eventually(
      async () => !(await api.call.computeStakingApi.eligibleWorkers(f.model)).some((w) => w.toString() === f.address('ferdie')),
      { timeoutMs: (offlineAfter + 10) * 3_000 + 30_000, what: 'Ferdie to be offline' },
    );
    const offlineAt = (await api.rpc.chain.getHeader()).number.toNumber();
    assert.ok(offlineAt > lastHeartbeat + offlineAfter - 1, `offline only after the window (#${offlineAt}, last heartbeat #${lastHeartbeat})`);
    const slot = (await api.call.computeStakingApi.workerSet(f.model)).find((s) => s.account.toString() === f.address('ferdie'));
    assert.ok(slot && slot.drawable.isFalse, 'Ferdie keeps its slot in the worker set but cannot be drawn');

    const pair = await submitQuorumJob(api, f.alice, f.model, 'two workers are enough', { replicas: 2, threshold: 2 });
    const pairAssigned = await waitForEvent(api, api.events.inference.JobAssigned, (e) => e.data.job.toNumber() === pair.job, { from: pair.from });
    assert.deepEqual(pairAssigned.event.data.workers.map(f.nameOf).sort(), ['dave', 'eve'], 'the offline worker is skipped');
    await waitForEvent(api, api.events.inference.JobCompleted, (e) => e.data.job.toNumber() === pair.job, { from: pair.from });

    // A job that needs all three is refused at submission: nothing is escrowed.
    await assert.rejects(
      submitQuorumJob(api, f.alice, f.model, 'three workers are not there', { replicas: 3, threshold: 2 }),
      /inference\.NotEnoughWorkers/,
    );

    // Back: its first heartbeat makes it eligible again.
    await f.start(['ferdie'], 2);
    await eventually(
      async () => (await api.call.computeStakingApi.eligibleWorkers(f.model)).some((w) => w.toString() === f.address('ferdie')),
      { timeoutMs: 60_000, what: 'Ferdie to be eligible again' },
    );
  });
});
