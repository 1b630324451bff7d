/**
 * The verification economics under attack, with real `deai-worker` processes
 * doing the work: the honest answers, and through the test-only config key
 * `fault_wrong_results` (every output has one bit flipped) the lazy or lying
 * ones. The test plays only what an attacker (or a bystander) sends:
 * submissions, challenges, delegations, `advance` and stopping worker
 * processes; every commit and reveal comes from a worker binary.
 *
 * One node and one set of workers serve the whole file. Five honest workers
 * run from the start (Dave, Eve, Ferdie, Frank and Sybil, each bonded 2,000
 * DEAI); a lying worker joins for each of the first two tests and leaves it
 * idle (slashed under the minimum bond). The attacks, in order:
 *
 * 1. a lazy optimistic worker (issue 17, item 6) is challenged by a correct
 *    challenger: it is slashed, pays the re-execution out of its own stake,
 *    the challenger gets its bond back and the documented reward, and the job
 *    settles overturned with the honest output;
 * 2. a self-challenge (item 1): an operator's lying worker, with a large
 *    delegation, is challenged by the operator's second account: that account
 *    gets at most its bond and a capped share of the worker's own slashed
 *    stake, the delegators' loss goes to the treasury, and the operator ends
 *    poorer;
 * 3. unanswerable inputs (item 2): a reference to a dead HTTP URI and one to
 *    bytes that are not UTF-8 are answered "unanswerable" by the real workers,
 *    who are paid; nobody is slashed;
 * 4. spoiling a re-execution (item 5): the only workers left to re-execute a
 *    challenged result are killed (right before the challenge, so they never
 *    see the draw) and the round fails: it is queued again, and decided once
 *    they are back; kept down past the challenge's retry window, they leave the
 *    original result standing, and paid. A round they spoil pays them nothing.
 *
 * The protocol periods are shortened through sudo (commit and reveal 4 blocks
 * instead of 10, challenge window 12 instead of 20), so that a round the
 * spoilers let time out ends 5 blocks after its draw instead of 11 and the
 * file stays within about four minutes; the slashes and shares are the
 * chain's own.
 */

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, randomAsU8a } from '@polkadot/util-crypto';

import {
  DEAI,
  eventsAt,
  eventsBetween,
  feesPaid,
  findEvent,
  freeAt,
  headerOf,
  signAndWait,
  waitForBlock,
  waitForEvent,
} from '../lib/chain.js';
import { UNANSWERABLE_OUTPUT, contentHash, expectError, findEvents, inline, mulFloor, palletAccount, slashPlan } from '../lib/inference.js';
import { DEFAULT_READY_TIMEOUT_MS, freePorts, printLogOnFailure, startNode } from '../lib/node.js';
import {
  devAccountUri,
  printWorkerLogsOnFailure,
  registerTinyModel,
  registerWorkers,
  startWorkers,
  stopWorkersAndNode,
  submitJobWith,
  submitOptimisticJob,
} from '../lib/worker.js';

const TEST_TIMEOUT_MS = 180_000;
const SETUP_TIMEOUT_MS = DEFAULT_READY_TIMEOUT_MS + 180_000;

/** The honest workers, running for the whole file. */
const HONEST = ['dave', 'eve', 'ferdie', 'frank', 'sybil'];
/** Dev accounts are endowed at genesis; the others are funded by Alice. */
const DEV = new Set(['dave', 'eve', 'ferdie']);
const uriOf = (name) => (DEV.has(name) ? devAccountUri(name) : `//deai-e2e/${name}`);

/** Shorter protocol periods (in blocks), so that rounds nobody answers end quickly. */
const PERIODS = { commitPeriod: 4, revealPeriod: 4, challengePeriod: 12 };

describe('verification economics under attack, with real workers', () => {
  let node;
  let api;
  let keyring;
  let alice;
  let charlie;
  let model;
  let modelDir;
  let price;
  let protocol;
  /** Worker directories and processes, by name. */
  const workers = {};
  const procs = {};
  const treasury = palletAccount('deai/gov');
  const escrow = palletAccount('deai/inf');

  const address = (name) => workers[name].address;
  const nameOf = (account) => Object.keys(workers).find((n) => workers[n].address === account.toString());
  const forJob = (job) => (e) => e.data.job.toNumber() === job;
  const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  const hashOfBlock = (n) => api.rpc.chain.getBlockHash(n);

  /** The stake of worker `name` at `blockHash`, as a slash and a draw read it. */
  async function stakeAt(blockHash, name) {
    const w = (await (await api.at(blockHash)).call.computeStakingApi.worker(address(name))).unwrap();
    const bonded = w.bonded.toBigInt();
    const delegated = w.delegated.toBigInt();
    const unbonding = w.unbonding.reduce((sum, chunk) => sum + chunk.value.toBigInt(), 0n);
    return {
      bonded,
      delegated,
      ownTotal: bonded + unbonding,
      poolTotal: delegated + w.delegatedUnbonding.toBigInt(),
      backing: bonded + delegated,
      eligible: w.eligible.isTrue,
    };
  }

  /** The eligible workers of the model now, by name, sorted. */
  const eligibleNames = async () => (await api.call.computeStakingApi.eligibleWorkers(model)).map(nameOf).sort();

  /**
   * Registers `name` as a lying worker (`fault_wrong_results`) with `bond` DEAI,
   * has Charlie delegate `delegation` DEAI to it and starts its process.
   */
  async function lyingWorker(name, bond, delegation) {
    Object.assign(workers, await registerWorkers(keyring, [name], { nodeUrl: node.wsUrl, model, modelDir, bond, uri: uriOf, wrongResults: true }));
    await signAndWait(api, api.tx.computeStaking.delegate(address(name), delegation * DEAI), charlie);
    Object.assign(procs, await startWorkers(workers, [name]));
    assert.match(procs[name].log(), /fault_wrong_results is set/);
    assert.deepEqual(await eligibleNames(), [...HONEST, name].sort());
    const stake = await stakeAt(await hashOfBlock(await best()), name);
    assert.equal(stake.backing, (BigInt(bond) + delegation) * DEAI, 'its draw weight is its bond and the delegation');
  }

  /**
   * Submits an optimistic job of Alice and waits for its draw and its challenge
   * window. With `servedBy`, submits again (at most `attempts` jobs) until one is
   * drawn for that worker: the draw is random, weighted by stake. The jobs drawn
   * for other workers are answered honestly and left in their challenge window.
   */
  async function optimisticJob(text, { servedBy, attempts = 6 } = {}) {
    const missed = [];
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const { job, fee, from } = await submitOptimisticJob(api, alice, model, `${text} ${attempt}`, { lifetime: 40 });
      const assigned = await waitForEvent(api, api.events.inference.JobAssigned, forJob(job), { from, what: `job ${job}'s draw` });
      const worker = nameOf(assigned.event.data.workers[0]);
      if (servedBy && worker !== servedBy) {
        missed.push(`job ${job} drawn for ${worker}`);
        continue;
      }
      const opened = await waitForEvent(api, api.events.inference.ChallengeWindowOpened, forJob(job), {
        from: assigned.number,
        what: `job ${job}'s challenge window`,
      });
      assert.equal(nameOf(opened.event.data.worker), worker);
      return { job, fee, from, worker, missed, assigned, opened, outputHash: u8aToHex(opened.event.data.outputHash.toU8a()) };
    }
    throw new Error(`none of ${attempts} optimistic jobs was drawn for ${servedBy}`);
  }

  /** `challenger` challenges `job`; returns the inclusion, its block number and the bond. */
  async function challenge(job, challenger) {
    const send = () => signAndWait(api, api.tx.inference.challengeResult(job), keyring.addFromUri(uriOf(challenger)));
    // The challenger is a running worker: a heartbeat it sends at the same moment may take
    // the same nonce, and the pool keeps only one of the two. Then the challenge is sent again.
    const challenged = await send().catch((err) => {
      if (/Priority is too low|Usurped/i.test(err.message)) return send();
      throw err;
    });
    const event = findEvent(challenged.events, api.events.inference.ResultChallenged);
    assert.ok(event, 'inference.ResultChallenged emitted');
    assert.equal(nameOf(event.data.challenger), challenger);
    const bond = event.data.bond.toBigInt();
    assert.equal(bond, price * BigInt(api.consts.inference.challengeReplicas.toNumber()), 'the bond is price × ChallengeReplicas');
    const { number } = await headerOf(api, challenged.blockHash);
    return { ...challenged, number, bond };
  }

  /**
   * How much the free balance of `name` grew from block #`from` to block
   * `blockHash`, not counting the fees it paid in between (which go to the
   * block author, not to anyone in the game).
   */
  async function freeGain(name, from, blockHash) {
    const { number } = await headerOf(api, blockHash);
    const then = await freeAt(api, await hashOfBlock(from), address(name));
    return (await freeAt(api, blockHash, address(name))) - then + (await feesPaid(api, address(name), from + 1, number));
  }

  /**
   * Checks the `Rewarded` events of `job` in block `blockHash`: one for each name
   * in `amounts`, of that amount; and that each worker's free balance grew in that
   * block by its own part of it (plus what `extra` names).
   */
  async function assertPaid(job, blockHash, amounts, { extra = {} } = {}) {
    const { number } = await headerOf(api, blockHash);
    const rewards = findEvents(await (await api.at(blockHash)).query.system.events(), api.events.computeStaking.Rewarded).filter(forJob(job));
    assert.deepEqual(rewards.map((e) => nameOf(e.data.worker)).sort(), Object.keys(amounts).sort(), `who is paid for job ${job}`);
    for (const e of rewards) {
      const name = nameOf(e.data.worker);
      assert.equal(e.data.amount.toBigInt(), amounts[name], `${name}'s reward`);
      assert.equal(e.data.toWorker.toBigInt() + e.data.toDelegators.toBigInt(), amounts[name]);
      const gain = await freeGain(name, number - 1, blockHash);
      assert.equal(gain, e.data.toWorker.toBigInt() + (extra[name] ?? 0n), `${name}'s free balance grew by its part`);
    }
  }

  /** The treasury's gain in block `blockHash`. */
  async function treasuryGain(blockHash) {
    const { parentHash } = await headerOf(api, blockHash);
    return (await freeAt(api, blockHash, treasury)) - (await freeAt(api, parentHash, treasury));
  }

  /** The amounts `name` has on hold as a challenge bond at `blockHash`. */
  async function challengeBondHeld(blockHash, name) {
    const holds = await (await api.at(blockHash)).query.balances.holds(address(name));
    return holds.filter((h) => h.id.isInference && h.id.asInference.isChallengeBond).reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
  }

  /**
   * Plays a challenge of `job` (served by `original`, which was wrong) by
   * `challenger` up to its resolution, with real workers re-executing; returns
   * what the settlement block shows, the original worker's stake right before
   * it and what its slash must take (`plan`): the penalty on the stake that
   * backed its draw, plus the re-execution's cost, and the challenger's share.
   */
  async function challengeToResolution({ job, worker: original, assigned }, challenger) {
    const beforeAt = await best();
    const challenged = await challenge(job, challenger);
    assert.equal(await challengeBondHeld(challenged.blockHash, challenger), challenged.bond, 'the bond is held');
    const reexecution = await waitForEvent(api, api.events.inference.JobAssigned, (e) => forJob(job)(e) && e.data.reexecution.isTrue, {
      from: challenged.number,
      what: `job ${job}'s re-execution draw`,
    });
    const reexecutors = reexecution.event.data.workers.map(nameOf).sort();
    assert.equal(reexecutors.length, 3);
    assert.ok(reexecutors.every((n) => HONEST.includes(n) && n !== challenger), `honest re-executors (${reexecutors})`);
    const resolved = await waitForEvent(api, api.events.inference.ChallengeResolved, forJob(job), {
      from: reexecution.number,
      what: `job ${job}'s challenge to be resolved`,
    });
    const { parentHash } = await headerOf(api, resolved.blockHash);
    const events = await eventsAt(api, resolved.blockHash);
    const revealed = await eventsBetween(api, api.events.inference.ResultRevealed, forJob(job), reexecution.number, resolved.number);
    assert.deepEqual(revealed.map((e) => nameOf(e.data.worker)).sort(), reexecutors, 'every re-executor revealed');
    assert.equal(new Set(revealed.map((e) => e.data.outputHash.toHex())).size, 1, 'and they agree');
    const before = await stakeAt(parentHash, original);
    const cost = price * BigInt(reexecutors.length);
    const plan = slashPlan({
      ownTotal: before.ownTotal,
      poolTotal: before.poolTotal,
      fraction: protocol.challengeSlash,
      backing: (await stakeAt(assigned.blockHash, original)).backing,
      cost,
      share: protocol.challengeReward,
    });
    return {
      before,
      plan,
      cost,
      challenged,
      beforeAt,
      reexecutors,
      reexecutedHash: revealed[0].data.outputHash.toHex(),
      resolved: resolved.event,
      at: resolved.blockHash,
      parentHash,
      events,
      slashed: events.find((e) => api.events.computeStaking.Slashed.is(e) && forJob(job)(e)),
      workerSlashed: events.find((e) => api.events.inference.WorkerSlashed.is(e) && forJob(job)(e)),
      completed: events.find((e) => api.events.inference.JobCompleted.is(e) && forJob(job)(e)),
      wentIdle: events.find((e) => api.events.computeStaking.WentIdle.is(e) && e.data.worker.toString() === address(original)),
    };
  }

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    alice = keyring.addFromUri('//Alice');
    charlie = keyring.addFromUri('//Charlie');
    node = await startNode();
    api = node.api;

    // The accounts that are not endowed at genesis; the two lying workers join later.
    const funded = ['frank', 'sybil', 'lazy', 'operator'];
    await signAndWait(
      api,
      api.tx.utility.batchAll(funded.map((n) => api.tx.balances.transferKeepAlive(keyring.addFromUri(uriOf(n)).address, 20_000n * DEAI))),
      alice,
    );
    const params = (await api.query.inference.params()).toJSON();
    const set = await signAndWait(api, api.tx.sudo.sudo(api.tx.inference.setParams({ ...params, ...PERIODS })), alice);
    assert.ok(findEvent(set.events, api.events.inference.ParamsSet), 'the shorter periods are set');
    protocol = await api.query.inference.params();

    // A tiny model of Bob's (2 DEAI a replica), served by the five honest workers.
    ({ model, modelDir } = await registerTinyModel(api, keyring.addFromUri('//Bob'), { seed: 41 }));
    price = (await api.query.modelRegistry.models(model)).unwrap().terms.price.toBigInt();
    // Each from its own account, so all at once.
    const registered = await Promise.all(
      HONEST.map((name) => registerWorkers(keyring, [name], { nodeUrl: node.wsUrl, model, modelDir, bond: 2000, uri: uriOf })),
    );
    for (const one of registered) Object.assign(workers, one);
    Object.assign(procs, await startWorkers(workers, HONEST));
    assert.deepEqual(await eligibleNames(), [...HONEST].sort());
  }, { timeout: SETUP_TIMEOUT_MS });

  after(() => stopWorkersAndNode(procs, node));

  afterEach((t) => {
    printLogOnFailure(t, node);
    printWorkerLogsOnFailure(t, procs);
  });

  test('a lazy optimistic worker is caught: it pays the re-execution and the correct challenger is rewarded', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // The lazy worker carries a large delegation so that the stake-weighted draw picks it
    // for about nine jobs in ten (its 95,000 DEAI against 10,000 of the honest five); a job
    // drawn for an honest worker is simply submitted again (see `optimisticJob`). Its own
    // 10,000 DEAI cover the 10 % penalty on its 95,000 of backing, so no delegator loses
    // anything here (that is the next test), and what the penalty leaves is under the
    // minimum bond: it goes idle and takes no part in the later tests.
    await lyingWorker('lazy', 10_000, 85_000n);
    const served = await optimisticJob('a lazy worker answers this', { servedBy: 'lazy' });
    t.diagnostic(`job ${served.job} drawn for the lazy worker; before it: ${served.missed.join(', ') || 'none'}`);

    // Dave, an honest worker, re-runs the job, sees the result is wrong and challenges it.
    const r = await challengeToResolution(served, 'dave');
    const { before, plan, cost } = r;

    // The liar is slashed for the lost challenge: the penalty and the re-execution, all
    // out of its own stake; the payee (the inference account) is owed the re-execution
    // and the reward.
    assert.ok(r.slashed, 'computeStaking.Slashed emitted');
    assert.equal(nameOf(r.slashed.data.worker), 'lazy');
    assert.ok(r.slashed.data.reason.isLostChallenge);
    assert.equal(r.slashed.data.fraction.toNumber(), protocol.challengeSlash.toNumber());
    assert.equal(r.slashed.data.fromWorker.toBigInt(), plan.fromWorker);
    assert.equal(r.slashed.data.fromDelegators.toBigInt(), 0n, 'the penalty stays within its own stake');
    assert.equal(plan.fromDelegators, 0n);
    assert.equal(r.slashed.data.amount.toBigInt(), plan.fromWorker);
    assert.equal(r.slashed.data.payee.unwrap().toString(), escrow);
    assert.equal(r.slashed.data.toPayee.toBigInt(), plan.toPayee);
    assert.equal(r.workerSlashed.data.amount.toBigInt(), plan.fromWorker);
    assert.ok(r.workerSlashed.data.reason.isLostChallenge);
    assert.equal(before.bonded - (await stakeAt(r.at, 'lazy')).bonded, plan.fromWorker, 'out of its bond');
    assert.ok(r.wentIdle, 'left under the minimum bond, it goes idle');
    assert.ok(!(await stakeAt(r.at, 'lazy')).eligible);

    // The resolution: overturned; the loser paid the three re-executors the price each,
    // and the challenger the documented reward: challenge_reward of the own penalty.
    const reward = mulFloor(protocol.challengeReward, plan.penaltyOwn);
    assert.equal(r.resolved.data.confirmed.isTrue, false, 'the result is overturned');
    assert.equal(nameOf(r.resolved.data.loser), 'lazy');
    assert.equal(r.resolved.data.slashed.toBigInt(), plan.fromWorker);
    assert.equal(r.resolved.data.reexecutionPaid.toBigInt(), cost, 'the loser paid the re-execution');
    assert.equal(r.resolved.data.rewarded.toBigInt(), reward);
    assert.equal(plan.toPayee, cost + reward);
    assert.ok(reward > 0n);
    t.diagnostic(`slashed ${plan.fromWorker} planck, re-execution ${cost}, challenger's reward ${reward}`);
    await assertPaid(served.job, r.at, Object.fromEntries(r.reexecutors.map((n) => [n, price])));

    // The challenger: its whole bond back and the reward, nothing else (its calls were free).
    assert.equal(await freeGain('dave', r.beforeAt, r.at), reward);
    assert.equal(await challengeBondHeld(r.at, 'dave'), 0n, 'the bond is released');

    // The job settles with the re-execution's output: the honest one, of which the lazy
    // worker's answer is the same bytes with the last bit flipped (its fault injection).
    assert.ok(r.completed, 'inference.JobCompleted emitted');
    assert.equal(r.completed.data.overturned.isTrue, true);
    assert.equal(r.completed.data.outputHash.toHex(), r.reexecutedHash);
    assert.deepEqual(r.completed.data.workers.map(nameOf), [], "the liar's slot is not paid");
    const split = r.completed.data.split;
    const total = ['workers', 'owner', 'data', 'treasury', 'refunded'].reduce((sum, k) => sum + split[k].toBigInt(), 0n);
    assert.equal(total, served.fee, 'every unit of the fee is in the split');
    assert.equal(split.workers.toBigInt(), 0n);
    const status = (await (await api.at(r.at)).call.inferenceApi.jobStatus(served.job)).unwrap();
    assert.ok(status.isSettled && status.asSettled.outcome.isCompleted);
    const output = status.asSettled.output.unwrap().toU8a(true);
    assert.equal(u8aToHex(contentHash(output)), r.reexecutedHash);
    const flipped = Uint8Array.from(output);
    flipped[flipped.length - 1] ^= 1;
    assert.equal(u8aToHex(contentHash(flipped)), served.outputHash, 'the lazy answer was the honest one, altered');
    assert.notEqual(served.outputHash, r.reexecutedHash);

    // The treasury got the rest of the slash and its share of the fee.
    assert.equal(await treasuryGain(r.at), plan.fromWorker - plan.toPayee + split.treasury.toBigInt());
    await procs.lazy.stop();
  });

  test('a self-challenge cannot drain delegators: the operator and its second account end poorer', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // An operator runs a lying worker at the minimum bond with Charlie's 100,000 DEAI
    // behind it (the weight makes the draw pick it for about nine jobs in ten), and
    // challenges it from its second account, Sybil, an honest worker of its own, hoping to
    // collect part of the 10 % of Charlie's stake that the lost challenge slashes.
    await lyingWorker('operator', 1_000, 100_000n);
    const served = await optimisticJob('an operator lies to itself', { servedBy: 'operator' });
    t.diagnostic(`job ${served.job} drawn for the operator's worker; before it: ${served.missed.join(', ') || 'none'}`);
    const delegation = async (blockHash) =>
      (await (await api.at(blockHash)).call.computeStakingApi.delegation(address('operator'), charlie.address)).unwrap().value.toBigInt();

    const r = await challengeToResolution(served, 'sybil');
    const { before, plan, cost } = r;
    const charlieBefore = await delegation(r.parentHash);
    assert.ok(plan.penalty > before.ownTotal, "the penalty reaches past the worker's own stake");

    // The slash takes the whole own stake and the rest of the penalty from Charlie.
    assert.ok(r.slashed.data.reason.isLostChallenge);
    assert.equal(nameOf(r.slashed.data.worker), 'operator');
    assert.equal(r.slashed.data.fromWorker.toBigInt(), before.ownTotal);
    assert.equal(r.slashed.data.fromWorker.toBigInt(), plan.fromWorker);
    assert.equal(r.slashed.data.fromDelegators.toBigInt(), plan.fromDelegators);
    assert.ok(plan.fromDelegators > 0n, "Charlie's stake is slashed too");
    assert.equal(r.slashed.data.amount.toBigInt(), plan.fromWorker + plan.fromDelegators);
    assert.equal(r.slashed.data.toPayee.toBigInt(), plan.toPayee);
    assert.equal(r.slashed.data.payee.unwrap().toString(), escrow);
    assert.ok(r.slashed.data.toPayee.toBigInt() <= r.slashed.data.fromWorker.toBigInt(), 'the payee is paid out of own stake only');
    assert.equal(charlieBefore - (await delegation(r.at)), plan.fromDelegators, 'Charlie lost exactly the delegators\' part');
    assert.equal(before.delegated - (await stakeAt(r.at, 'operator')).delegated, plan.fromDelegators);
    assert.ok(r.wentIdle, 'with no own stake left, the worker goes idle');

    // Sybil: at most its bond back plus challenge_reward of the worker's own slashed stake.
    const reward = r.resolved.data.rewarded.toBigInt();
    assert.equal(r.resolved.data.confirmed.isTrue, false);
    assert.equal(r.resolved.data.reexecutionPaid.toBigInt(), cost);
    assert.equal(reward, plan.toPayee - cost);
    assert.equal(reward, mulFloor(protocol.challengeReward, plan.penaltyOwn));
    assert.ok(reward <= mulFloor(protocol.challengeReward, plan.fromWorker), 'a capped share of the own slashed stake');
    const sybilGain = await freeGain('sybil', r.beforeAt, r.at);
    assert.equal(sybilGain, reward);
    assert.equal(await challengeBondHeld(r.at, 'sybil'), 0n, 'the bond came back');
    await assertPaid(served.job, r.at, Object.fromEntries(r.reexecutors.map((n) => [n, price])));

    // Every delegator part went to the treasury, with the own stake the payee did not get.
    const split = r.completed.data.split;
    assert.equal(await treasuryGain(r.at), plan.fromDelegators + (plan.fromWorker - plan.toPayee) + split.treasury.toBigInt());

    // The operator's two accounts together: the worker lost its whole own stake and its
    // free balance did not move; Sybil won back only the reward.
    const workerFree = (await freeAt(api, r.at, address('operator'))) - (await freeAt(api, r.parentHash, address('operator')));
    const operatorLoss = before.bonded - (await stakeAt(r.at, 'operator')).bonded - workerFree;
    assert.equal(operatorLoss, plan.fromWorker);
    assert.ok(sybilGain - operatorLoss < 0n, `the operator ends ${operatorLoss - sybilGain} planck poorer`);
    t.diagnostic(`Charlie lost ${plan.fromDelegators} planck to the treasury; Sybil won ${sybilGain}, the worker lost ${operatorLoss}`);
    assert.equal(r.completed.data.outputHash.toHex(), r.reexecutedHash);
    assert.equal(r.completed.data.overturned.isTrue, true);
    await procs.operator.stop();
  });

  test('inputs nobody can answer are answered so by the real workers: all are paid, nobody is slashed', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.deepEqual(await eligibleNames(), [...HONEST].sort(), 'only the honest workers can be drawn');
    // Bytes that are not UTF-8 never reach a text model inline: refused at submission.
    const notText = new Uint8Array([0x68, 0xc3, 0x28]);
    const quorum = { Quorum: { replicas: 3, threshold: 2 } };
    const fee = (await api.call.inferenceApi.quote(model, quorum)).unwrap().toBigInt();
    await expectError(
      api,
      api.tx.inference.submitJob(model, inline(notText), quorum, fee, (await best()) + 40),
      alice,
      'inference.InputNotAccepted',
    );
    // By reference they can be submitted (the chain holds only their hash): the
    // submitter's server serves them to every worker. And a URI where nothing listens.
    const served = { count: 0 };
    const server = createServer((request, response) => {
      served.count += 1;
      response.writeHead(200, { 'Content-Length': notText.length }).end(Buffer.from(notText));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const [closed] = await freePorts(1);
    try {
      const inputs = {
        'not UTF-8': { uri: `http://127.0.0.1:${server.address().port}/not-text`, hash: u8aToHex(contentHash(notText)) },
        'dead URI': { uri: `http://127.0.0.1:${closed}/gone`, hash: u8aToHex(randomAsU8a(32)) },
      };
      const jobs = [];
      for (const [what, reference] of Object.entries(inputs)) {
        jobs.push({ what, ...(await submitJobWith(api, alice, model, { Reference: reference }, quorum, { lifetime: 40 })) });
      }
      const work = fee - protocol.protocolFee.toBigInt();
      for (const { what, job, from } of jobs) {
        const assigned = await waitForEvent(api, api.events.inference.JobAssigned, forJob(job), { from, what: `job ${job}'s draw` });
        const drawn = assigned.event.data.workers.map(nameOf).sort();
        const ended = await waitForEvent(api, api.events.inference.JobUnanswerable, forJob(job), {
          from: assigned.number,
          what: `job ${job} (${what}) to end unanswerable`,
        });
        assert.deepEqual(ended.event.data.workers.map(nameOf).sort(), drawn, `${what}: every drawn worker said so and is paid`);
        const receipts = (await (await api.at(ended.blockHash)).call.inferenceApi.jobReceipts(job)).unwrap().receipts;
        assert.deepEqual(receipts.map((x) => u8aToHex(x.outputHash)), drawn.map(() => u8aToHex(contentHash(UNANSWERABLE_OUTPUT))));
        for (const name of drawn) {
          const line = procs[name].log().split('\n').find((l) => new RegExp(`job=${job}\\b`).test(l) && l.includes('answering that the input is unanswerable'));
          assert.ok(line, `${name}'s log says job ${job} (${what}) is unanswerable`);
        }
        // The submitter pays for the work: the workers' slots are paid, only the data share
        // (this model names no datasets) and the rounding dust come back.
        const split = ended.event.data.split;
        const total = ['workers', 'owner', 'data', 'treasury', 'refunded'].reduce((sum, k) => sum + split[k].toBigInt(), 0n);
        assert.equal(total, fee);
        const slot = split.workers.toBigInt() / 3n;
        assert.equal(split.workers.toBigInt(), slot * 3n);
        const rest = work - mulFloor(protocol.dataShare, work) - mulFloor(protocol.treasuryShare, work);
        assert.equal(slot, rest / 3n);
        assert.equal(split.refunded.toBigInt(), mulFloor(protocol.dataShare, work) + rest - 3n * slot);
        await assertPaid(job, ended.blockHash, Object.fromEntries(drawn.map((n) => [n, slot])));
        const slashes = [
          ...(await eventsBetween(api, api.events.computeStaking.Slashed, forJob(job), from, ended.number)),
          ...(await eventsBetween(api, api.events.inference.WorkerSlashed, forJob(job), from, ended.number)),
        ];
        assert.deepEqual(slashes, [], `${what}: nobody is slashed`);
        const status = (await (await api.at(ended.blockHash)).call.inferenceApi.jobStatus(job)).unwrap();
        assert.ok(status.isSettled && status.asSettled.outcome.isUnanswerable);
      }
      assert.equal(served.count, 3, 'the three workers of the not-UTF-8 job each fetched it once');
    } finally {
      server.close();
    }
  });

  /**
   * An optimistic job answered by an honest worker, disputed by a challenger whose
   * accomplices are the three other honest workers: the only ones left to re-execute
   * it, they are killed before the challenge, hoping that a re-execution that decides
   * nothing erases the right result.
   */
  async function spoiledChallenge(text) {
    assert.deepEqual(await eligibleNames(), [...HONEST].sort(), 'only the honest workers can be drawn');
    const served = await optimisticJob(text);
    const challenger = HONEST.find((n) => n !== served.worker);
    const spoilers = HONEST.filter((n) => n !== served.worker && n !== challenger).sort();
    await Promise.all(spoilers.map((n) => procs[n].kill()));
    const beforeAt = await best();
    const challenged = await challenge(served.job, challenger);
    return { served, challenger, spoilers, beforeAt, challenged };
  }

  /**
   * Waits for the re-execution draw of `job` after block #`after` (it must draw the
   * `spoilers`), lets its commit phase pass and concludes it with `advance` (Alice; anyone
   * may). Returns the draw and the inclusion of the `advance`.
   */
  async function letRoundFail(job, spoilers, after) {
    const round = await waitForEvent(api, api.events.inference.JobAssigned, (e) => forJob(job)(e) && e.data.reexecution.isTrue, {
      after,
      what: `job ${job}'s re-execution draw`,
    });
    assert.deepEqual(round.event.data.workers.map(nameOf).sort(), spoilers, 'the killed workers are drawn');
    await waitForBlock(api, { atLeast: round.event.data.commitUntil.toNumber() });
    const advanced = await signAndWait(api, api.tx.inference.advance(job), alice);
    const { number } = await headerOf(api, advanced.blockHash);
    return { round, advanced, number };
  }

  test('spoiling a re-execution: the round is queued again and decided once the workers are back', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { served, challenger, spoilers, beforeAt, challenged } = await spoiledChallenge('a right answer, challenged');
    const { round, advanced, number: requeuedAt } = await letRoundFail(served.job, spoilers, challenged.number - 1);
    const requeued = findEvent(advanced.events, api.events.inference.ChallengeRequeued);
    assert.ok(requeued, 'the failed round is queued again');
    assert.equal(requeued.data.retryUntil.toNumber(), challenged.number + PERIODS.challengePeriod);
    assert.ok(!findEvent(advanced.events, api.events.inference.JobCompleted), 'the job is still open');
    // The round the spoilers let fail paid and slashed nobody.
    for (const check of [api.events.computeStaking.Rewarded, api.events.computeStaking.Slashed]) {
      assert.deepEqual(await eventsBetween(api, check, forJob(served.job), round.number, requeuedAt), []);
    }

    // The workers come back (restarted) and are drawn again, being the only ones left.
    Object.assign(procs, await startWorkers(workers, spoilers, { attempt: 2 }));
    const resolved = await waitForEvent(api, api.events.inference.ChallengeResolved, forJob(served.job), {
      from: requeuedAt,
      what: `job ${served.job}'s challenge to be decided`,
    });
    const assigned = await eventsBetween(api, api.events.inference.JobAssigned, forJob(served.job), requeuedAt, resolved.number);
    assert.deepEqual(assigned.map((e) => e.data.workers.map(nameOf).sort()), [spoilers], 'one more round, by the same three');
    // Confirmed: the challenger pays the re-execution out of its bond and is slashed; the
    // original worker gets challenge_reward of the challenger's own penalty.
    const { parentHash } = await headerOf(api, resolved.blockHash);
    const challengerStake = await stakeAt(parentHash, challenger);
    const plan = slashPlan({
      ownTotal: challengerStake.ownTotal,
      poolTotal: challengerStake.poolTotal,
      fraction: protocol.challengeSlash,
      backing: (await stakeAt(challenged.blockHash, challenger)).backing,
      share: protocol.challengeReward,
    });
    assert.equal(resolved.event.data.confirmed.isTrue, true, 'the original result is confirmed');
    assert.equal(nameOf(resolved.event.data.loser), challenger);
    assert.equal(resolved.event.data.reexecutionPaid.toBigInt(), challenged.bond, 'the bond pays the three re-executors');
    assert.equal(resolved.event.data.rewarded.toBigInt(), plan.toPayee);
    const events = await eventsAt(api, resolved.blockHash);
    const slashed = events.find((e) => api.events.computeStaking.Slashed.is(e) && forJob(served.job)(e));
    assert.equal(nameOf(slashed.data.worker), challenger);
    assert.ok(slashed.data.reason.isLostChallenge);
    assert.equal(slashed.data.fromWorker.toBigInt(), plan.fromWorker);
    assert.equal(slashed.data.fromDelegators.toBigInt(), 0n);
    assert.equal(nameOf(slashed.data.payee.unwrap()), served.worker);
    assert.equal(slashed.data.toPayee.toBigInt(), plan.toPayee);
    const completed = events.find((e) => api.events.inference.JobCompleted.is(e) && forJob(served.job)(e));
    assert.equal(completed.data.overturned.isTrue, false);
    assert.equal(completed.data.outputHash.toHex(), served.outputHash, 'the original result stands');
    assert.deepEqual(completed.data.workers.map(nameOf), [served.worker]);
    const slot = completed.data.split.workers.toBigInt();
    await assertPaid(served.job, resolved.blockHash, { ...Object.fromEntries(spoilers.map((n) => [n, price])), [served.worker]: slot }, {
      extra: { [served.worker]: plan.toPayee },
    });
    // The challenger lost its bond (and the slash from its stake), nothing else.
    assert.equal(await freeGain(challenger, beforeAt, resolved.blockHash), -challenged.bond);
    assert.equal(challengerStake.bonded - (await stakeAt(resolved.blockHash, challenger)).bonded, plan.fromWorker);
  });

  test('spoiling a re-execution past its retry window: the original result stands and is paid', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { served, challenger, spoilers, beforeAt, challenged } = await spoiledChallenge('a right answer, challenged again');
    const retryUntil = challenged.number + PERIODS.challengePeriod;
    // Every round is drawn for the killed workers and times out; each `advance` queues it
    // again until the retry window has passed, and then lets the original result stand.
    let after = challenged.number - 1;
    let rounds = 0;
    let settled;
    while (!settled) {
      assert.ok(rounds < 4, 'bounded number of rounds');
      const { advanced, number } = await letRoundFail(served.job, spoilers, after);
      rounds += 1;
      after = number;
      const completed = findEvent(advanced.events, api.events.inference.JobCompleted);
      if (completed) {
        settled = { event: completed, blockHash: advanced.blockHash, number };
      } else {
        const requeued = findEvent(advanced.events, api.events.inference.ChallengeRequeued);
        assert.ok(requeued && number < retryUntil, `round ${rounds} is queued again within the retry window`);
      }
    }
    assert.ok(rounds >= 2, `the re-execution was drawn again (${rounds} rounds)`);
    t.diagnostic(`${rounds} rounds spoiled; the original result stood at #${settled.number} (retry until #${retryUntil})`);
    assert.ok(settled.number >= retryUntil, 'the original result stands only after the retry window');
    assert.equal(settled.event.data.overturned.isTrue, false);
    assert.equal(settled.event.data.outputHash.toHex(), served.outputHash);
    assert.deepEqual(settled.event.data.workers.map(nameOf), [served.worker]);
    // Only the original worker is paid (one slot); nobody is slashed; the spoilers got
    // nothing, and the challenger's bond came back whole.
    await assertPaid(served.job, settled.blockHash, { [served.worker]: settled.event.data.split.workers.toBigInt() });
    for (const check of [api.events.computeStaking.Rewarded, api.events.computeStaking.Slashed, api.events.inference.WorkerSlashed]) {
      const found = await eventsBetween(api, check, forJob(served.job), challenged.number, settled.number);
      const who = found.map((e) => nameOf(e.data.worker));
      assert.deepEqual(who, check === api.events.computeStaking.Rewarded ? [served.worker] : [], `${check.meta.name} for job ${served.job}`);
    }
    assert.equal(await freeGain(challenger, beforeAt, settled.blockHash), 0n);
    assert.equal(await challengeBondHeld(settled.blockHash, challenger), 0n);
    Object.assign(procs, await startWorkers(workers, spoilers, { attempt: 3 }));
  });
});
