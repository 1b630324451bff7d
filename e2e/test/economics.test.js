/**
 * The verification economics under attack, on a running dev chain with the
 * test playing every worker. Five workers serve a model; Charlie delegates to
 * each of them. The attacks, each answered by the chain's rules:
 *
 * - a voter pays for a job with tokens its vote has frozen (refused);
 * - a worker raises its commission right before a reward (the raise waits an
 *   unbonding period, so its delegators can leave at the old rate);
 * - a submitter sends an input no worker can answer, hoping to get them
 *   slashed (they answer "unanswerable", are paid, nobody is slashed);
 * - an operator lets its worker give a wrong optimistic result and challenges
 *   it from a second account, hoping to collect its delegators' stake (the
 *   challenger gets a bounded share of the worker's own penalty; every
 *   delegator part goes to the treasury; the operator ends poorer), which is
 *   also the correct challenger's case (it ends ahead, and the loser paid the
 *   re-execution);
 * - re-executors make a challenge undecided by revealing distinct outputs,
 *   round after round (each round is drawn again; the original result stands
 *   and is paid; the spoilers earn nothing).
 */

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, randomAsU8a } from '@polkadot/util-crypto';

import { DEAI, eventsAt, findEvent, freeAt, hashOf, headerOf, modelArgs, percent, signAndWait, waitForEvent } from '../lib/chain.js';
import { commitmentOf, contentHash, expectError, findEvents, inline, mulFloor, palletAccount, signingPayload } from '../lib/inference.js';
import { DEFAULT_READY_TIMEOUT_MS, printLogOnFailure, startNode } from '../lib/node.js';

const TEST_TIMEOUT_MS = 420_000;

/** What a worker reveals for an input no one can answer (deai-primitives). */
const UNANSWERABLE = stringToU8a('deai:unanswerable-input:v1');

const NAMES = ['dave', 'eve', 'ferdie', 'worker4', 'worker5'];

describe('DeAI verification economics under attack', () => {
  let node;
  let api;
  let alice;
  let bob;
  let charlie;
  /** name → account pair, and address → name. */
  const pairs = {};
  const nameOf = new Map();
  /** name → attestation key pair. */
  const keys = {};
  let model;
  let price;
  let delegation;

  /** The events of `section.method` in blocks `from..=to`. */
  async function eventsBetween(check, from, to) {
    const found = [];
    for (let n = from; n <= to; n++) {
      const blockHash = await api.rpc.chain.getBlockHash(n);
      for (const event of await eventsAt(api, blockHash)) if (check.is(event)) found.push(event);
    }
    return found;
  }

  /**
   * Plays one round of `job`: every worker named in `outputs` (address → bytes)
   * commits, then reveals. Resolves to the reveals' inclusions.
   */
  async function playRound(job, outputs) {
    const input = (await api.call.inferenceApi.jobInput(job)).unwrap();
    const modelHash = input.modelHash.toU8a();
    const inputHash = input.inputHash.toU8a();
    const plays = Object.entries(outputs).map(([address, output]) => ({
      address,
      pair: pairs[nameOf.get(address)],
      key: keys[nameOf.get(address)],
      output,
      salt: randomAsU8a(32),
    }));
    await Promise.all(
      plays.map((p) =>
        signAndWait(api, api.tx.inference.commitResult(job, commitmentOf(api, job, p.address, contentHash(p.output), p.salt)), p.pair),
      ),
    );
    return Promise.all(
      plays.map((p) => {
        const message = signingPayload(api, { job, modelHash, inputHash, outputHash: contentHash(p.output), worker: p.address });
        return signAndWait(api, api.tx.inference.revealResult(job, inline(p.output), p.salt, p.key.sign(message)), p.pair);
      }),
    );
  }

  /** Submits an optimistic job of Alice and waits for its draw; returns the job, its worker and the draw's block. */
  async function optimisticJob(text) {
    const verification = 'Optimistic';
    const fee = (await api.call.inferenceApi.quote(model, verification)).unwrap().toBigInt();
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const submitted = await signAndWait(
      api,
      api.tx.inference.submitJob(model, inline(new TextEncoder().encode(text)), verification, fee, best + 80),
      alice,
    );
    const job = findEvent(submitted.events, api.events.inference.JobSubmitted).data.job.toNumber();
    const { number } = await headerOf(api, submitted.blockHash);
    const assigned = await waitForEvent(api, api.events.inference.JobAssigned, (e) => e.data.job.toNumber() === job, { after: number - 1 });
    return { job, fee, worker: assigned.event.data.workers[0].toString(), from: number };
  }

  /** The bonded own stake of the worker at `address`, at `blockHash`. */
  const bondedAt = async (blockHash, address) =>
    (await (await api.at(blockHash)).call.computeStakingApi.worker(address)).unwrap().bonded.toBigInt();

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((uri) => keyring.addFromUri(uri));
    for (const name of NAMES) {
      pairs[name] = keyring.addFromUri(name.startsWith('worker') ? `//deai-e2e/${name}` : `//${name[0].toUpperCase()}${name.slice(1)}`);
      nameOf.set(pairs[name].address, name);
      keys[name] = keyring.addFromUri(`//deai-e2e/attestation/${name}`);
    }
    node = await startNode();
    api = node.api;

    // Two workers are new accounts: Alice funds them.
    for (const name of ['worker4', 'worker5']) {
      await signAndWait(api, api.tx.balances.transferKeepAlive(pairs[name].address, 20_000n * DEAI), alice);
    }
    // A model of Bob's, text in, exact bytes out.
    price = 10n * DEAI;
    const registered = await signAndWait(
      api,
      api.tx.modelRegistry.register(...modelArgs({
        name: 'economics-model',
        version: '1.0.0',
        artifactHash: hashOf('economics model weights'),
        uris: ['ipfs://economics-model'],
        framework: 'Safetensors',
        license: 'Apache-2.0',
        inputSpec: { kind: 'Text', maxLen: 256 },
        outputSpec: 'Exact',
        price,
        royalty: percent(10),
        parent: null,
        datasets: [],
      })),
      bob,
    );
    model = findEvent(registered.events, api.events.modelRegistry.ModelRegistered).data.model.toNumber();
    const staking = await api.call.computeStakingApi.params();
    const bond = 2n * staking.minWorkerBond.toBigInt();
    await Promise.all(
      NAMES.map((name) =>
        signAndWait(
          api,
          api.tx.computeStaking.registerWorker(bond, keys[name].publicKey, `https://${name}.deai.example`, 'cpu', [model], percent(5)),
          pairs[name],
        ),
      ),
    );
    // Charlie trusts every worker with the same stake: whoever is drawn has delegators.
    // More than a worker's own bond, so that a large slash reaches it.
    delegation = 20_000n * DEAI;
    for (const name of NAMES) {
      await signAndWait(api, api.tx.computeStaking.delegate(pairs[name].address, delegation), charlie);
    }
    const eligible = await api.call.computeStakingApi.eligibleWorkers(model);
    assert.equal(eligible.length, NAMES.length);
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 180_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('tokens frozen by a vote cannot pay for a job', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Charlie proposes a small grant; Bob votes with all but 20 DEAI of his free balance.
    const call = api.tx.governance.grant(charlie.address, DEAI, hashOf('economics grant'));
    const proposed = await signAndWait(api, api.tx.governance.propose('Treasury', call, 'a grant', hashOf('a grant')), charlie);
    const index = findEvent(proposed.events, api.events.governance.Proposed).data.index.toNumber();
    const free = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const balance = free - 20n * DEAI;
    const voted = await signAndWait(api, api.tx.governance.vote(index, { kind: 'Aye', balance, conviction: 'Locked2x' }), bob);
    assert.ok(findEvent(voted.events, api.events.governance.Voted));
    // A 3-replica job costs 30 DEAI, more than what the vote left unfrozen.
    const quorum = { Quorum: { replicas: 3, threshold: 2 } };
    const fee = (await api.call.inferenceApi.quote(model, quorum)).unwrap().toBigInt();
    assert.ok(fee > 20n * DEAI);
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const nextJob = (await api.query.inference.nextJobId()).toNumber();
    const refused = await expectError(
      api,
      api.tx.inference.submitJob(model, inline(new TextEncoder().encode('paid with a vote')), quorum, fee, best + 60),
      bob,
      'inference.FundsFrozen',
    );
    const holds = await (await api.at(refused.blockHash)).query.balances.holds(bob.address);
    assert.ok(!holds.some((h) => h.id.isInference), 'nothing is held for the refused job');
    assert.equal((await api.query.inference.nextJobId()).toNumber(), nextJob, 'no job was created');
  });

  test('a worker cannot raise its commission under its delegators at once', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Dave serves with Charlie's delegation at 5 %; he tries 20 %, e.g. right before a reward.
    const dave = pairs.dave;
    const raise = percent(20);
    const announced = await signAndWait(api, api.tx.computeStaking.setCommission(raise), dave);
    const event = findEvent(announced.events, api.events.computeStaking.CommissionRaiseAnnounced);
    assert.ok(event, 'computeStaking.CommissionRaiseAnnounced emitted');
    const { number } = await headerOf(api, announced.blockHash);
    const unbonding = api.consts.computeStaking.unbondingPeriod.toNumber();
    assert.equal(event.data.from.toNumber(), number + unbonding, 'the raise waits a whole unbonding period');
    const details = async () => (await api.call.computeStakingApi.worker(dave.address)).unwrap();
    assert.equal((await details()).commission.toNumber(), percent(5), 'rewards still pay the delegators at 5 %');
    // Applying it early is refused and changes nothing.
    await expectError(api, api.tx.computeStaking.setCommission(raise), dave, 'computeStaking.CommissionRaiseNotDue');
    assert.equal((await details()).commission.toNumber(), percent(5));
    // Keeping (or cutting) the rate applies at once and withdraws the announcement.
    const kept = await signAndWait(api, api.tx.computeStaking.setCommission(percent(5)), dave);
    assert.ok(findEvent(kept.events, api.events.computeStaking.CommissionSet));
    assert.ok((await api.query.computeStaking.commissionRaises(dave.address)).isNone);
  });

  test('an unanswerable input is answered as such: the workers are paid and nobody is slashed', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Bytes that are not UTF-8 never reach a text model: refused at submission.
    const quorum = { Quorum: { replicas: 3, threshold: 2 } };
    const fee = (await api.call.inferenceApi.quote(model, quorum)).unwrap().toBigInt();
    let best = (await api.rpc.chain.getHeader()).number.toNumber();
    await expectError(
      api,
      api.tx.inference.submitJob(model, inline(new Uint8Array([0x68, 0xc3, 0x28])), quorum, fee, best + 60),
      alice,
      'inference.InputNotAccepted',
    );
    // An input by reference whose URI serves nothing: nobody can answer it.
    best = (await api.rpc.chain.getHeader()).number.toNumber();
    const dead = { Reference: { uri: 'ipfs://bafy-deai-e2e-nothing-here', hash: u8aToHex(randomAsU8a(32)) } };
    const submitted = await signAndWait(api, api.tx.inference.submitJob(model, dead, quorum, fee, best + 60), alice);
    const job = findEvent(submitted.events, api.events.inference.JobSubmitted).data.job.toNumber();
    const { number: from } = await headerOf(api, submitted.blockHash);
    const assigned = await waitForEvent(api, api.events.inference.JobAssigned, (e) => e.data.job.toNumber() === job, { after: from - 1 });
    const drawn = assigned.event.data.workers.map((w) => w.toString());
    const reveals = await playRound(job, Object.fromEntries(drawn.map((address) => [address, UNANSWERABLE])));
    const settling = reveals.find((r) => findEvent(r.events, api.events.inference.JobUnanswerable));
    assert.ok(settling, 'the job ends unanswerable');
    const outcome = findEvent(settling.events, api.events.inference.JobUnanswerable);
    assert.deepEqual(outcome.data.workers.map((w) => w.toString()).sort(), [...drawn].sort());
    // The submitter pays for the work it asked for: only the data share comes back, as this
    // model names no training datasets.
    const protocol = await api.query.inference.params();
    const work = fee - protocol.protocolFee.toBigInt();
    assert.equal(outcome.data.split.refunded.toBigInt(), mulFloor(protocol.dataShare, work));
    assert.ok(outcome.data.split.workers.toBigInt() > 0n);
    const { number: to } = await headerOf(api, settling.blockHash);
    const forJob = (e) => e.data.job.toNumber() === job;
    const slashes = (await eventsBetween(api.events.computeStaking.Slashed, from, to)).filter(forJob);
    assert.equal(slashes.length, 0, 'nobody is slashed for an input nobody could answer');
    const rewards = (await eventsBetween(api.events.computeStaking.Rewarded, from, to)).filter(forJob);
    assert.deepEqual(rewards.map((e) => e.data.worker.toString()).sort(), [...drawn].sort(), 'every worker that said so is paid');
    const record = (await (await api.at(settling.blockHash)).call.inferenceApi.jobStatus(job)).unwrap();
    assert.ok(record.isSettled && record.asSettled.outcome.isUnanswerable);
  });

  test('spoiling a re-execution round after round does not erase the result', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { job, worker, fee } = await optimisticJob('a result the challenger disputes');
    const challenger = NAMES.map((n) => pairs[n].address).find((a) => a !== worker);
    const right = new TextEncoder().encode('the honest answer');
    await playRound(job, { [worker]: right });
    const challengerBefore = await freeAt(api, await api.rpc.chain.getBlockHash(), challenger);
    const challenged = await signAndWait(api, api.tx.inference.challengeResult(job), pairs[nameOf.get(challenger)]);
    const { number: from } = await headerOf(api, challenged.blockHash);

    // Every round, the three re-executors reveal three different outputs: no quorum.
    let round = 0;
    let settled;
    let after = from - 1;
    const spoilers = new Set();
    while (!settled) {
      const drawnOrDone = {
        is: (event) => api.events.inference.JobCompleted.is(event) || api.events.inference.JobAssigned.is(event),
      };
      const next = await waitForEvent(api, drawnOrDone, (e) => e.data.job.toNumber() === job, {
        after,
        timeoutMs: 120_000,
        what: `job ${job}'s next re-execution draw or its settlement`,
      });
      if (api.events.inference.JobCompleted.is(next.event)) {
        settled = next;
        break;
      }
      round += 1;
      const drawn = next.event.data.workers.map((w) => w.toString());
      drawn.forEach((a) => spoilers.add(a));
      const outputs = Object.fromEntries(drawn.map((a, i) => [a, new TextEncoder().encode(`spoiler ${i} round ${round}`)]));
      const reveals = await playRound(job, outputs);
      const last = reveals.map((r) => r.blockHash);
      after = Math.max(...(await Promise.all(last.map(async (h) => (await headerOf(api, h)).number)))) - 1;
      const completed = reveals.map((r) => findEvent(r.events, api.events.inference.JobCompleted)).find(Boolean);
      if (completed) {
        settled = { event: completed, number: after + 1, blockHash: reveals.find((r) => findEvent(r.events, api.events.inference.JobCompleted)).blockHash };
      } else {
        const requeued = reveals.map((r) => findEvent(r.events, api.events.inference.ChallengeRequeued)).find(Boolean);
        assert.ok(requeued, `round ${round} without a verdict is drawn again`);
      }
    }
    assert.ok(round >= 2, `the re-execution was drawn again (${round} rounds)`);
    // The original result stands and is paid.
    assert.equal(settled.event.data.overturned.isTrue, false);
    assert.deepEqual(settled.event.data.workers.map((w) => w.toString()), [worker]);
    assert.equal(u8aToHex(settled.event.data.outputHash.toU8a()), u8aToHex(contentHash(right)));
    assert.equal(settled.event.data.split.refunded.toBigInt() < fee, true, 'the submitter pays for the answer it got');
    const forJob = (e) => e.data.job.toNumber() === job;
    const rewards = (await eventsBetween(api.events.computeStaking.Rewarded, from, settled.number)).filter(forJob);
    assert.deepEqual(rewards.map((e) => e.data.worker.toString()), [worker], 'only the honest worker is paid');
    const slashes = (await eventsBetween(api.events.computeStaking.Slashed, from, settled.number)).filter(forJob);
    assert.equal(slashes.length, 0, 'without a verdict nobody can be told wrong');
    // The challenger's bond came back whole (its successful calls were free).
    const challengerAfter = await freeAt(api, settled.blockHash, challenger);
    assert.equal(challengerAfter, challengerBefore);
    assert.ok(spoilers.size >= 3);
  });
  test('a self-challenge cannot drain delegators, and the correct challenger ends ahead', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { job, worker } = await optimisticJob('what the lazy worker gets wrong');
    const challenger = NAMES.map((n) => pairs[n].address).find((a) => a !== worker);
    const cPair = pairs[nameOf.get(challenger)];
    // The operator's worker reveals a wrong answer.
    await playRound(job, { [worker]: new TextEncoder().encode('a wrong answer') });
    const beforeHash = await api.rpc.chain.getBlockHash();
    const before = {
      workerBond: await bondedAt(beforeHash, worker),
      workerFree: await freeAt(api, beforeHash, worker),
      challengerFree: await freeAt(api, beforeHash, challenger),
      delegated: (await (await api.at(beforeHash)).call.computeStakingApi.worker(worker)).unwrap().delegated.toBigInt(),
    };
    // Charlie's stake (grown by the rewards of earlier jobs) is behind the wrong worker.
    assert.ok(before.delegated >= delegation, 'the wrong worker has Charlie\'s stake behind it');
    // Its second account challenges (free when it succeeds): bond = price × 3.
    const challenged = await signAndWait(api, api.tx.inference.challengeResult(job), cPair);
    const bond = findEvent(challenged.events, api.events.inference.ResultChallenged).data.bond.toBigInt();
    assert.equal(bond, 3n * price);
    const { number: challengedAt } = await headerOf(api, challenged.blockHash);
    const reexecution = await waitForEvent(
      api,
      api.events.inference.JobAssigned,
      (e) => e.data.job.toNumber() === job && e.data.reexecution.isTrue,
      { after: challengedAt - 1 },
    );
    const reexecutors = reexecution.event.data.workers.map((w) => w.toString());
    assert.equal(reexecutors.length, 3);
    assert.ok(!reexecutors.includes(worker) && !reexecutors.includes(challenger));
    const right = new TextEncoder().encode('the right answer');
    const reveals = await playRound(job, Object.fromEntries(reexecutors.map((a) => [a, right])));
    const settling = reveals.find((r) => findEvent(r.events, api.events.inference.ChallengeResolved));
    assert.ok(settling, 'the last reveal resolves the challenge');
    const resolved = findEvent(settling.events, api.events.inference.ChallengeResolved);
    assert.equal(resolved.data.confirmed.isTrue, false, 'the result is overturned');
    assert.equal(resolved.data.loser.toString(), worker);

    // The slash: the worker's own stake first, the delegators' next; the payee (the
    // inference account, which pays the re-executors and the challenger) is owed the
    // re-execution and half the own penalty, out of own stake only.
    const slashed = findEvent(settling.events, api.events.computeStaking.Slashed);
    assert.equal(slashed.data.worker.toString(), worker);
    assert.ok(slashed.data.reason.isLostChallenge);
    const protocol = await api.query.inference.params();
    const base = before.workerBond + before.delegated;
    const penalty = mulFloor(protocol.challengeSlash, base);
    const penaltyOwn = penalty < before.workerBond ? penalty : before.workerBond;
    const cost = 3n * price;
    const leftOwn = before.workerBond - penaltyOwn;
    const fromWorker = penaltyOwn + (cost < leftOwn ? cost : leftOwn);
    assert.ok(penalty > before.workerBond, 'the penalty reaches past the worker\'s own stake');
    assert.equal(slashed.data.fromWorker.toBigInt(), fromWorker);
    assert.equal(slashed.data.fromDelegators.toBigInt(), penalty - penaltyOwn);
    assert.ok(slashed.data.fromDelegators.toBigInt() > 0n, 'Charlie\'s stake is slashed too');
    assert.equal(slashed.data.payee.unwrap().toString(), palletAccount('deai/inf'));
    const toPayee = slashed.data.toPayee.toBigInt();
    const owed = cost + mulFloor(protocol.challengeReward, penaltyOwn);
    assert.equal(toPayee, owed < fromWorker ? owed : fromWorker);
    assert.equal(resolved.data.reexecutionPaid.toBigInt(), cost, 'the loser paid the re-execution');
    const reward = resolved.data.rewarded.toBigInt();
    assert.equal(reward, toPayee - cost);

    // Balances after the settlement.
    const at = settling.blockHash;
    const challengerGain = (await freeAt(api, at, challenger)) - before.challengerFree;
    assert.equal(challengerGain, reward, 'the correct challenger gets its bond back and the reward');
    assert.ok(challengerGain > 0n, 'challenging a wrong result pays');
    const workerLoss = before.workerBond - (await bondedAt(at, worker)) - ((await freeAt(api, at, worker)) - before.workerFree);
    assert.equal(workerLoss, fromWorker);
    // One operator holding both accounts: it lost more than it won back.
    assert.ok(challengerGain < workerLoss, `the operator lost ${workerLoss - challengerGain}`);
    // Charlie's lost stake went to the treasury, none of it to either account.
    assert.ok(reward <= penaltyOwn, 'the reward is a share of the worker\'s own penalty');
    const { number: settledAt } = await headerOf(api, at);
    const paid = (await eventsBetween(api.events.computeStaking.Rewarded, settledAt, settledAt)).filter((e) => e.data.job.toNumber() === job);
    assert.deepEqual(paid.map((e) => e.data.worker.toString()).sort(), [...reexecutors].sort());
    for (const e of paid) assert.equal(e.data.amount.toBigInt(), price);
    const completed = findEvent(settling.events, api.events.inference.JobCompleted);
    assert.equal(completed.data.overturned.isTrue, true);
    assert.equal(u8aToHex(completed.data.outputHash.toU8a()), u8aToHex(contentHash(right)));
  });

});
