/**
 * A full quorum inference job on a running dev chain. Bob creates a dataset
 * that Charlie contributes to and Alice (the dev chain's curator) curates,
 * then registers a model trained on it with a price and a royalty. Dave, Eve
 * and Ferdie register as compute workers for the model, each with its own
 * sr25519 attestation key. Alice submits a quorum job (3 replicas, threshold
 * 2); the chain draws the three workers, which commit and reveal results the
 * test computes itself: Dave and Eve agree, Ferdie dissents. The job settles
 * on the last reveal: Ferdie is slashed, Dave and Eve are paid one replica
 * slot each, Bob gets the royalty, the dataset is credited (and Charlie claims
 * it), the treasury gets its share and the slash, and Alice gets Ferdie's
 * slot back, every amount to the unit. The attested receipts are checked off
 * chain. Attacks (a commit by an outsider, an early
 * reveal, a switched answer, bad signatures) and submissions outside the
 * rules are refused with the pallet's documented errors.
 */

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex, u8aToString } from '@polkadot/util';
import { cryptoWaitReady, randomAsU8a, signatureVerify } from '@polkadot/util-crypto';

import { DEAI, findEvent, freeAt, hashOf, headerOf, modelArgs, percent, signAndWait, waitForEvent } from '../lib/chain.js';
import {
  attestedResult,
  authorRewards,
  commitmentOf,
  contentHash,
  expectError,
  feeOf,
  findEvents,
  inferenceHolds,
  inline,
  mulFloor,
  palletAccount,
  signingPayload,
} from '../lib/inference.js';
import { DEFAULT_READY_TIMEOUT_MS, printLogOnFailure, startNode } from '../lib/node.js';

const TEST_TIMEOUT_MS = 360_000;

/** The parameters of the test model (see model-registry.test.js), trained on `dataset` only. */
function modelParams(dataset, overrides = {}) {
  return {
    name: 'tiny-translator',
    version: '1.0.0',
    artifactHash: hashOf('tiny-translator weights v1'),
    uris: ['ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'],
    framework: 'Safetensors',
    license: 'Apache-2.0',
    inputSpec: { kind: 'Text', maxLen: 256 },
    // Exact: the canonical output is the output bytes themselves.
    outputSpec: 'Exact',
    price: 10n * DEAI,
    royalty: percent(20),
    parent: null,
    datasets: [[dataset, percent(100)]],
    ...overrides,
  };
}

describe('DeAI inference', () => {
  let node;
  let alice;
  let bob;
  let charlie;
  let dave;
  let eve;
  let ferdie;
  /** Attestation keys, by worker name; distinct from the account keys. */
  let keys;
  /** The model test 1 registers and its workers serve; used by test 2. */
  let model;

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, bob, charlie, dave, eve, ferdie] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map(
      (uri) => keyring.addFromUri(uri),
    );
    keys = Object.fromEntries(
      ['dave', 'eve', 'ferdie'].map((name) => [name, keyring.addFromUri(`//deai-e2e/attestation/${name}`)]),
    );
    node = await startNode();
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 60_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('a quorum job is drawn, committed, revealed, settled and paid to the unit', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    const workers = [['dave', dave], ['eve', eve], ['ferdie', ferdie]];
    const nameOf = new Map(workers.map(([name, pair]) => [pair.address, name]));
    const pairOf = new Map(workers.map(([, pair]) => [pair.address, pair]));
    for (const [name, pair] of workers) {
      assert.notEqual(u8aToHex(keys[name].publicKey), u8aToHex(pair.publicKey), `${name}'s attestation key is not its account key`);
    }

    // 1. Bob creates a dataset; Charlie contributes; Alice (the curator) accepts at quality 100.
    const created = await signAndWait(
      api,
      api.tx.dataRewards.createDataset('parallel-corpus', hashOf('corpus manifest'), 'ipfs://corpus', 'CC-BY-4.0', hashOf('corpus schema')),
      bob,
    );
    const dataset = findEvent(created.events, api.events.dataRewards.DatasetCreated).data.dataset.toNumber();
    const submitted = await signAndWait(
      api,
      api.tx.dataRewards.submitContribution(dataset, hashOf('charlie sentences'), 'ipfs://charlie', 4_096, 1_000),
      charlie,
    );
    const contribution = findEvent(submitted.events, api.events.dataRewards.ContributionSubmitted).data.contribution.toNumber();
    const accepted = await signAndWait(api, api.tx.dataRewards.acceptContribution(contribution, 100), alice);
    const acceptedEvent = findEvent(accepted.events, api.events.dataRewards.ContributionAccepted);
    // 1,000 × 100 = 10^5 shares, a divisor of the accumulator's scale 10^18: Charlie's credit is exact.
    assert.equal(acceptedEvent.data.shares.toBigInt(), 100_000n);
    const page = await (await api.at(accepted.blockHash)).call.dataRewardsApi.contributors(dataset, null, 10);
    assert.deepEqual(page.map(([who, shares]) => [who.toString(), shares.toBigInt()]), [[charlie.address, 100_000n]]);

    // 2. Bob registers a model trained on that dataset only (100 %), priced 10 DEAI, royalty 20 %.
    const params = modelParams(dataset);
    const registered = await signAndWait(api, api.tx.modelRegistry.register(...modelArgs(params)), bob);
    model = findEvent(registered.events, api.events.modelRegistry.ModelRegistered).data.model.toNumber();
    const details = (await (await api.at(registered.blockHash)).call.modelRegistryApi.model(model)).unwrap();
    assert.ok(details.model.spec.outputSpec.isExact);
    assert.equal(details.model.terms.price.toBigInt(), params.price);
    assert.equal(details.model.terms.royalty.toNumber(), percent(20));
    const stored = (await (await api.at(registered.blockHash)).query.modelRegistry.models(model)).unwrap();
    assert.deepEqual(stored.spec.datasets.map(([id, w]) => [id.toNumber(), w.toNumber()]), [[dataset, percent(100)]]);

    // 3. Dave, Eve and Ferdie register as workers of the model, bonding twice the minimum
    //    (so a 10 % slash leaves the dissenter above the minimum and eligible).
    const staking = await api.call.computeStakingApi.params();
    const bond = 2n * staking.minWorkerBond.toBigInt();
    const registrationDeposit = staking.registrationDeposit.toBigInt();
    const commission = percent(5);
    const registrations = await Promise.all(
      workers.map(([name, pair]) =>
        signAndWait(
          api,
          api.tx.computeStaking.registerWorker(
            bond,
            keys[name].publicKey,
            `https://${name}.deai.example:9944`,
            'cpu=x86-64-v3;mem=16g',
            [model],
            commission,
          ),
          pair,
        ),
      ),
    );
    for (const [i, [name, pair]] of workers.entries()) {
      const ev = findEvent(registrations[i].events, api.events.computeStaking.WorkerRegistered);
      assert.ok(ev, `computeStaking.WorkerRegistered emitted for ${name}`);
      assert.equal(ev.data.worker.toString(), pair.address);
      assert.equal(ev.data.bond.toBigInt(), bond);
      assert.equal(ev.data.deposit.toBigInt(), registrationDeposit);
      assert.equal(u8aToHex(ev.data.attestationKey.toU8a()), u8aToHex(keys[name].publicKey));
      assert.deepEqual(ev.data.models.map((m) => m.toNumber()), [model]);
    }
    const eligible = await api.call.computeStakingApi.eligibleWorkers(model);
    assert.deepEqual(eligible.map((w) => w.toString()).sort(), workers.map(([, p]) => p.address).sort());

    // 4. Alice submits a job: 3 replicas, 2 must agree. The fee is price × replicas +
    //    protocol fee, quoted by the runtime API; max_fee is set above it, and only the fee
    //    itself is held (max_fee is a cap, nothing more is charged).
    const verification = { Quorum: { replicas: 3, threshold: 2 } };
    const protocol = await api.query.inference.params();
    // The dev chain runs the pallet's default parameters (`default_params`).
    assert.equal(protocol.protocolFee.toBigInt(), 0n);
    assert.equal(protocol.dataShare.toNumber(), percent(10));
    assert.equal(protocol.treasuryShare.toNumber(), percent(5));
    assert.equal(protocol.wrongResultSlash.toNumber(), percent(10));
    const quote = (await api.call.inferenceApi.quote(model, verification)).unwrap().toBigInt();
    assert.equal(quote, 3n * params.price + protocol.protocolFee.toBigInt());
    const maxFee = quote + 5n * DEAI;
    const input = new TextEncoder().encode('Translate to French: the cat sleeps on the mat.');
    const inputHash = contentHash(input);
    // The storage deposit: a base, and a price for every input byte.
    const jobDeposit = api.consts.inference.jobDepositBase.toBigInt()
      + api.consts.inference.jobDepositPerByte.toBigInt() * BigInt(input.length);
    const delay = api.consts.inference.assignmentDelay.toNumber();
    const nextJob = (await api.query.inference.nextJobId()).toNumber();
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    // Far enough for the assignment delay, a full commit period and a reveal period.
    const deadline = best + 60;

    const submittedJob = await signAndWait(api, api.tx.inference.submitJob(model, inline(input), verification, maxFee, deadline), alice);
    const jobEvent = findEvent(submittedJob.events, api.events.inference.JobSubmitted);
    assert.ok(jobEvent, 'inference.JobSubmitted emitted');
    const job = jobEvent.data.job.toNumber();
    assert.equal(job, nextJob);
    assert.equal(jobEvent.data.submitter.toString(), alice.address);
    assert.equal(jobEvent.data.model.toNumber(), model);
    assert.ok(jobEvent.data.verification.isQuorum);
    const fee = jobEvent.data.fee.toBigInt();
    assert.equal(fee, quote, 'the fee charged is the quote, not max_fee');
    assert.equal(jobEvent.data.deadline.toNumber(), deadline);
    const submitFee = feeOf(api, submittedJob.events, alice.address);
    const { parentHash: beforeJob, number: submittedAt } = await headerOf(api, submittedJob.blockHash);
    const heldBefore = await inferenceHolds(api, beforeJob, alice.address);
    const heldAtSubmit = await inferenceHolds(api, submittedJob.blockHash, alice.address);
    assert.equal(heldAtSubmit.escrow - heldBefore.escrow, fee, 'exactly the fee is held in escrow');
    assert.equal(heldAtSubmit.deposit - heldBefore.deposit, jobDeposit, 'the job deposit is held');

    // The job's input and hashes, as the workers read them: the JS hashes match the chain's.
    const jobInput = (await (await api.at(submittedJob.blockHash)).call.inferenceApi.jobInput(job)).unwrap();
    assert.equal(u8aToHex(jobInput.inline.unwrap()), u8aToHex(input));
    assert.equal(u8aToHex(jobInput.inputHash.toU8a()), u8aToHex(inputHash));
    assert.equal(jobInput.modelHash.toHex(), params.artifactHash);
    const modelHash = jobInput.modelHash.toU8a();
    const queued = (await (await api.at(submittedJob.blockHash)).call.inferenceApi.jobStatus(job)).unwrap();
    assert.ok(queued.isOpen && queued.asOpen.stage.isQueued, 'the job waits for its draw');

    // Balances of everyone involved, right before the job.
    const escrowAccount = palletAccount('deai/inf');
    const dataAccount = palletAccount('deai/drw');
    const treasury = await (await api.at(beforeJob)).call.governanceApi.treasury();
    const treasuryAccount = treasury.account.toString();
    assert.equal(treasuryAccount, palletAccount('deai/gov'), 'the treasury is the governance pallet account');
    const before = {
      alice: await freeAt(api, beforeJob, alice.address),
      bob: await freeAt(api, beforeJob, bob.address),
      treasury: treasury.balance.toBigInt(),
      escrow: await freeAt(api, beforeJob, escrowAccount),
      data: await freeAt(api, beforeJob, dataAccount),
    };
    for (const [name, pair] of workers) before[name] = await freeAt(api, beforeJob, pair.address);
    assert.equal((await (await api.at(beforeJob)).call.dataRewardsApi.claimable(dataset, charlie.address)).toBigInt(), 0n);
    /** Fees each worker paid after the snapshot (failed calls only: valid ones are free). */
    const workerFees = { dave: 0n, eve: 0n, ferdie: 0n };

    // 5. The chain draws the workers in on_initialize, AssignmentDelay blocks after the submission.
    const assigned = await waitForEvent(api, api.events.inference.JobAssigned, (e) => e.data.job.toNumber() === job, {
      after: submittedAt - 1,
      timeoutMs: 90_000,
    });
    assert.equal(assigned.number, submittedAt + delay, `drawn exactly ${delay} blocks after the submission`);
    const drawn = assigned.event.data.workers.map((w) => w.toString());
    assert.deepEqual([...drawn].sort(), workers.map(([, p]) => p.address).sort(), 'all three workers are drawn');
    assert.equal(assigned.event.data.reexecution.isTrue, false);
    const commitPeriod = protocol.commitPeriod.toNumber();
    const revealPeriod = protocol.revealPeriod.toNumber();
    assert.equal(assigned.event.data.commitUntil.toNumber(), deadline - revealPeriod);
    assert.equal(assigned.event.data.revealUntil.toNumber(), deadline);
    assert.ok(assigned.number + commitPeriod <= deadline - revealPeriod);
    const atAssign = await api.at(assigned.blockHash);
    const open = (await atAssign.call.inferenceApi.jobStatus(job)).unwrap();
    assert.ok(open.isOpen && open.asOpen.stage.isCommit, 'the job is in its commit phase');
    assert.equal(open.asOpen.fee.toBigInt(), fee);
    assert.deepEqual(open.asOpen.workers.map((w) => w.toString()), drawn);
    for (const [name, pair] of workers) {
      const duties = await atAssign.call.inferenceApi.workerJobs(pair.address);
      assert.equal(duties.length, 1, `${name} has one job`);
      assert.equal(duties[0].job.toNumber(), job);
      assert.ok(duties[0].duty.isCommit, `${name} must commit`);
    }

    // 6. The workers' results, produced by the test: Dave and Eve agree, Ferdie dissents.
    const honest = new TextEncoder().encode('Le chat dort sur le tapis.');
    const dissent = new TextEncoder().encode('Le chien dort sur le tapis.');
    const outputs = { dave: honest, eve: honest, ferdie: dissent };
    const salts = { dave: randomAsU8a(32), eve: randomAsU8a(32), ferdie: randomAsU8a(32) };
    const outputHashes = Object.fromEntries(Object.entries(outputs).map(([n, o]) => [n, contentHash(o)]));
    const commitments = Object.fromEntries(
      workers.map(([name, pair]) => [name, commitmentOf(api, job, pair.address, outputHashes[name], salts[name])]),
    );
    /** A valid reveal of `name`: its output, salt and attestation signature. */
    const revealTx = (name, pair, { output = outputs[name], salt = salts[name], signer = keys[name], payload } = {}) => {
      const message = payload ?? signingPayload(api, { job, modelHash, inputHash, outputHash: contentHash(output), worker: pair.address });
      return api.tx.inference.revealResult(job, inline(output), salt, signer.sign(message));
    };

    // Charlie, not assigned, cannot commit; Dave commits (free).
    const [outsider, daveCommit] = await Promise.all([
      expectError(api, api.tx.inference.commitResult(job, randomAsU8a(32)), charlie, 'inference.NotAssigned'),
      signAndWait(api, api.tx.inference.commitResult(job, commitments.dave), dave),
    ]);
    assert.ok(outsider.fee > 0n);
    assert.ok(findEvent(daveCommit.events, api.events.inference.ResultCommitted));
    assert.equal(feeOf(api, daveCommit.events, dave.address), 0n, 'a valid commit is free');

    // Before everyone committed there is no reveal. (A copy of Dave's commitment would be
    // accepted from Eve and could never be revealed: it names Dave. Only the copier loses.)
    const early = await expectError(api, revealTx('dave', dave), dave, 'inference.NotRevealPhase');
    workerFees.dave += early.fee;

    // Eve and Ferdie commit their own results: everyone committed, the reveal phase starts.
    const lastCommits = await Promise.all(
      [['eve', eve], ['ferdie', ferdie]].map(([name, pair]) =>
        signAndWait(api, api.tx.inference.commitResult(job, commitments[name]), pair),
      ),
    );
    for (const [i, pair] of [eve, ferdie].entries()) {
      assert.equal(feeOf(api, lastCommits[i].events, pair.address), 0n, 'a valid commit is free');
    }
    const started = lastCommits
      .map((c) => ({ blockHash: c.blockHash, event: findEvent(c.events, api.events.inference.RevealPhaseStarted) }))
      .find((c) => c.event);
    assert.ok(started, 'inference.RevealPhaseStarted emitted by the last commit');
    const { number: allCommittedAt } = await headerOf(api, started.blockHash);
    const revealUntil = Math.min(deadline, allCommittedAt + revealPeriod);
    assert.equal(started.event.data.revealUntil.toNumber(), revealUntil);
    const atReveal = await api.at(started.blockHash);
    assert.ok((await atReveal.call.inferenceApi.jobStatus(job)).unwrap().asOpen.stage.isReveal);
    for (const [name, pair] of workers) {
      const [duty] = await atReveal.call.inferenceApi.workerJobs(pair.address);
      assert.ok(duty.duty.isReveal, `${name} must reveal`);
    }

    // 7. Attacks in the reveal phase, all refused and recording nothing:
    //    - Ferdie, seeing where the majority goes, reveals the honest output against its
    //      own commitment (a switched answer);
    //    - Eve signs the bare SCALE encoding, without the attestation context;
    //    - Dave signs with its account key instead of its registered attestation key.
    const honestPayload = (pair) =>
      signingPayload(api, { job, modelHash, inputHash, outputHash: outputHashes.dave, worker: pair.address });
    const attacks = await Promise.all([
      expectError(api, revealTx('ferdie', ferdie, { output: honest }), ferdie, 'inference.CommitmentMismatch'),
      expectError(
        api,
        revealTx('eve', eve, { payload: attestedResult(api, { job, modelHash, inputHash, outputHash: outputHashes.eve, worker: eve.address }) }),
        eve,
        'inference.BadSignature',
      ),
      expectError(api, revealTx('dave', dave, { signer: dave, payload: honestPayload(dave) }), dave, 'inference.BadSignature'),
    ]);
    workerFees.ferdie += attacks[0].fee;
    workerFees.eve += attacks[1].fee;
    workerFees.dave += attacks[2].fee;
    const attackBlocks = await Promise.all(attacks.map(async (a) => ({ ...(await headerOf(api, a.blockHash)), blockHash: a.blockHash })));
    const latestAttack = attackBlocks.reduce((latest, b) => (b.number > latest.number ? b : latest));
    assert.ok(latestAttack.number <= revealUntil, 'the attacks ran inside the reveal phase');
    const afterAttacks = (await (await api.at(latestAttack.blockHash)).call.inferenceApi.jobReceipts(job)).unwrap();
    assert.equal(afterAttacks.receipts.length, 0, 'no refused reveal left a receipt');

    // 8. The real reveals (free); the last one concludes the round and settles the job.
    const reveals = await Promise.all(workers.map(([name, pair]) => signAndWait(api, revealTx(name, pair), pair)));
    for (const [i, [name, pair]] of workers.entries()) {
      assert.equal(feeOf(api, reveals[i].events, pair.address), 0n, `${name}'s valid reveal is free`);
      const revealed = findEvent(reveals[i].events, api.events.inference.ResultRevealed);
      assert.ok(revealed, `inference.ResultRevealed emitted for ${name}`);
      assert.equal(revealed.data.worker.toString(), pair.address);
      assert.equal(u8aToHex(revealed.data.outputHash.toU8a()), u8aToHex(outputHashes[name]));
    }
    const settling = reveals.filter((r) => findEvent(r.events, api.events.inference.JobCompleted));
    assert.equal(settling.length, 1, 'exactly one reveal settles the job');
    const { blockHash: settled, events: settleEvents } = settling[0];
    const { number: settledAt } = await headerOf(api, settled);
    assert.ok(settledAt <= revealUntil, 'settled inside the reveal phase, no advance needed');

    // The split, computed from the code's rules (settlement.rs):
    //   work = fee − protocol fee = price × 3 = 30 DEAI; data 10 % = 3; treasury 5 % = 1.5
    //   (+ protocol fee); owner 20 % = 6; workers: the rest, 19.5, in 3 slots of 6.5;
    //   Ferdie's slot (6.5) goes back to Alice.
    const work = fee - protocol.protocolFee.toBigInt();
    const dataPart = mulFloor(protocol.dataShare, work);
    const treasuryPart = mulFloor(protocol.treasuryShare, work);
    const afterShares = work - dataPart - treasuryPart;
    const ownerPart = [mulFloor(details.model.terms.royalty, work), afterShares].reduce((a, b) => (a < b ? a : b));
    const slot = (afterShares - ownerPart) / 3n;
    const expected = {
      workers: 2n * slot,
      owner: ownerPart,
      data: dataPart,
      treasury: treasuryPart + protocol.protocolFee.toBigInt(),
    };
    expected.refunded = fee - expected.workers - expected.owner - expected.data - expected.treasury;
    // With the default parameters and this model, in DEAI: 13 + 6 + 3 + 1.5 + 6.5 = 30.
    assert.equal(fee, 30n * DEAI);
    assert.equal(expected.refunded, slot, 'the refund is the dissenter\'s slot');
    assert.equal(expected.refunded, (65n * DEAI) / 10n);

    const completed = findEvent(settleEvents, api.events.inference.JobCompleted);
    assert.equal(completed.data.job.toNumber(), job);
    assert.equal(u8aToHex(completed.data.outputHash.toU8a()), u8aToHex(outputHashes.dave));
    assert.deepEqual(completed.data.workers.map((w) => w.toString()).sort(), [dave.address, eve.address].sort());
    assert.equal(completed.data.overturned.isTrue, false);
    const split = completed.data.split;
    for (const field of ['workers', 'owner', 'data', 'treasury', 'refunded']) {
      assert.equal(split[field].toBigInt(), expected[field], `split.${field}`);
    }
    assert.equal(
      split.workers.toBigInt() + split.owner.toBigInt() + split.data.toBigInt() + split.treasury.toBigInt() + split.refunded.toBigInt(),
      fee,
      'every unit of the escrow is accounted for',
    );

    // Ferdie, the dissenter, is slashed 10 % of its stake (all its own: no delegators) to the treasury.
    const slash = mulFloor(protocol.wrongResultSlash, bond);
    assert.equal(slash, bond / 10n);
    const slashed = findEvents(settleEvents, api.events.inference.WorkerSlashed);
    assert.equal(slashed.length, 1, 'only the dissenter is slashed');
    assert.equal(slashed[0].data.worker.toString(), ferdie.address);
    assert.ok(slashed[0].data.reason.isWrongResult);
    assert.equal(slashed[0].data.amount.toBigInt(), slash);
    const stakeSlash = findEvent(settleEvents, api.events.computeStaking.Slashed);
    assert.equal(stakeSlash.data.worker.toString(), ferdie.address);
    assert.equal(stakeSlash.data.job.toNumber(), job);
    assert.ok(stakeSlash.data.reason.isWrongResult);
    assert.equal(stakeSlash.data.fraction.toNumber(), protocol.wrongResultSlash.toNumber());
    assert.equal(stakeSlash.data.amount.toBigInt(), slash);
    assert.equal(stakeSlash.data.fromWorker.toBigInt(), slash);
    assert.equal(stakeSlash.data.fromDelegators.toBigInt(), 0n);
    assert.ok(stakeSlash.data.payee.isNone, 'nobody but the treasury receives a dissenter\'s slash');
    assert.equal(stakeSlash.data.toPayee.toBigInt(), 0n);
    assert.ok(!findEvent(settleEvents, api.events.computeStaking.WentIdle), 'the dissenter stays above the minimum bond');

    // Dave and Eve are rewarded one slot each, all to their free balance (no delegators).
    const rewarded = findEvents(settleEvents, api.events.computeStaking.Rewarded);
    assert.deepEqual(rewarded.map((e) => e.data.worker.toString()).sort(), [dave.address, eve.address].sort());
    for (const e of rewarded) {
      assert.equal(e.data.job.toNumber(), job);
      assert.equal(e.data.amount.toBigInt(), slot);
      assert.equal(e.data.commission.toBigInt(), mulFloor(commission, slot));
      assert.equal(e.data.toWorker.toBigInt(), slot);
      assert.equal(e.data.toDelegators.toBigInt(), 0n);
    }

    // The dataset is credited with the whole data share (its only lineage entry).
    const royalty = findEvent(settleEvents, api.events.dataRewards.RoyaltyPaid);
    assert.equal(royalty.data.dataset.toNumber(), dataset);
    assert.equal(royalty.data.payer.toString(), escrowAccount);
    assert.equal(royalty.data.amount.toBigInt(), expected.data);

    // The job's status and record, through the runtime API.
    const atSettled = await api.at(settled);
    const status = (await atSettled.call.inferenceApi.jobStatus(job)).unwrap();
    assert.ok(status.isSettled, 'the job is settled');
    const record = status.asSettled;
    assert.equal(record.submitter.toString(), alice.address);
    assert.equal(record.model.toNumber(), model);
    assert.ok(record.outcome.isCompleted);
    assert.equal(u8aToHex(record.outcome.asCompleted.outputHash.toU8a()), u8aToHex(outputHashes.dave));
    assert.equal(record.outcome.asCompleted.overturned.isTrue, false);
    assert.equal(u8aToString(record.output.unwrap()), 'Le chat dort sur le tapis.');
    assert.ok(record.outputUri.isNone);
    assert.equal(record.settledAt.toNumber(), settledAt);
    assert.ok((await atSettled.call.inferenceApi.jobInput(job)).isNone, 'a settled job keeps no input');
    for (const [name, pair] of workers) {
      assert.equal((await atSettled.call.inferenceApi.workerJobs(pair.address)).length, 0, `${name} has no open job left`);
    }

    // The receipts: every reveal (the dissenter's too), each checkable off chain.
    const receipts = (await atSettled.call.inferenceApi.jobReceipts(job)).unwrap();
    assert.equal(receipts.jobId.toNumber(), job);
    assert.equal(receipts.genesisHash.toHex(), api.genesisHash.toHex(), 'receipts name this chain');
    assert.equal(u8aToHex(receipts.modelHash.toU8a()), u8aToHex(modelHash));
    assert.equal(u8aToHex(receipts.inputHash.toU8a()), u8aToHex(inputHash));
    assert.equal(receipts.receipts.length, 3);
    assert.deepEqual(receipts.receipts.map((r) => r.worker.toString()), drawn, 'receipts follow the draw order');
    for (const receipt of receipts.receipts) {
      const name = nameOf.get(receipt.worker.toString());
      assert.equal(u8aToHex(receipt.key.toU8a()), u8aToHex(keys[name].publicKey), `${name}'s receipt names its key`);
      assert.equal(u8aToHex(receipt.outputHash.toU8a()), u8aToHex(outputHashes[name]));
      // Rebuild the AttestedResult from the job's hashes and the receipt, as a verifier would.
      const attested = {
        genesis: receipts.genesisHash.toU8a(),
        job: receipts.jobId.toNumber(),
        modelHash: receipts.modelHash.toU8a(),
        inputHash: receipts.inputHash.toU8a(),
        outputHash: receipt.outputHash.toU8a(),
        worker: receipt.worker.toString(),
      };
      const signature = receipt.signature.toU8a();
      assert.equal(signature.length, 64);
      assert.ok(signatureVerify(signingPayload(api, attested), signature, receipt.key.toU8a()).isValid, `${name}'s receipt verifies`);
      // The signature binds the output, the worker and the context.
      const other = name === 'ferdie' ? outputHashes.dave : outputHashes.ferdie;
      assert.ok(!signatureVerify(signingPayload(api, { ...attested, outputHash: other }), signature, receipt.key.toU8a()).isValid);
      const someoneElse = [...pairOf.keys()].find((a) => a !== attested.worker);
      assert.ok(!signatureVerify(signingPayload(api, { ...attested, worker: someoneElse }), signature, receipt.key.toU8a()).isValid);
      assert.ok(!signatureVerify(attestedResult(api, attested), signature, receipt.key.toU8a()).isValid);
      // Nor does it verify for the same job on another chain.
      const elsewhere = { ...attested, genesis: new Uint8Array(32).fill(0x42) };
      assert.ok(!signatureVerify(signingPayload(api, elsewhere), signature, receipt.key.toU8a()).isValid);
    }

    // Reputations and the dissenter's record.
    for (const [name, pair] of workers) {
      const rep = await atSettled.call.computeStakingApi.reputation(pair.address);
      if (name === 'ferdie') {
        assert.equal(rep.jobsCompleted.toNumber(), 0);
        assert.equal(rep.jobsFailed.toNumber(), 1);
        assert.equal(rep.slashes.toNumber(), 1);
        assert.equal(rep.totalSlashed.toBigInt(), slash);
        assert.equal(rep.totalRewarded.toBigInt(), 0n);
      } else {
        assert.equal(rep.jobsCompleted.toNumber(), 1, `${name} completed a job`);
        assert.equal(rep.jobsFailed.toNumber(), 0);
        assert.equal(rep.slashes.toNumber(), 0);
        assert.equal(rep.totalRewarded.toBigInt(), slot);
      }
    }
    const ferdieDetails = (await atSettled.call.computeStakingApi.worker(ferdie.address)).unwrap();
    assert.equal(ferdieDetails.bonded.toBigInt(), bond - slash);
    assert.ok(ferdieDetails.eligible.isTrue, 'still bonded above the minimum, still eligible');
    const offence = ferdieDetails.recentOffences[ferdieDetails.recentOffences.length - 1];
    assert.equal(offence.job.toNumber(), job);
    assert.ok(offence.reason.isWrongResult);
    assert.equal(offence.amount.toBigInt(), slash);
    assert.equal(offence.at.toNumber(), settledAt);
    for (const pair of [dave, eve]) {
      assert.equal((await atSettled.call.computeStakingApi.worker(pair.address)).unwrap().bonded.toBigInt(), bond);
    }

    // 9. Balances, to the unit, from right before the job to its settlement.
    const afterJob = {
      bob: await freeAt(api, settled, bob.address),
      treasury: (await atSettled.call.governanceApi.treasury()).balance.toBigInt(),
      escrow: await freeAt(api, settled, escrowAccount),
      data: await freeAt(api, settled, dataAccount),
    };
    for (const [name, pair] of workers) afterJob[name] = await freeAt(api, settled, pair.address);
    assert.equal(afterJob.dave - before.dave, slot - workerFees.dave, 'Dave: one slot, minus its failed calls');
    assert.equal(afterJob.eve - before.eve, slot - workerFees.eve, 'Eve: one slot, minus its failed calls');
    assert.equal(afterJob.ferdie - before.ferdie, -workerFees.ferdie, 'Ferdie: nothing (the slash is taken from its bond hold)');
    assert.equal(afterJob.bob - before.bob, expected.owner, 'Bob: the royalty');
    assert.equal(afterJob.treasury - before.treasury, expected.treasury + slash, 'treasury: its share and the slash');
    assert.equal(afterJob.data - before.data, expected.data, 'data rewards: the data share');
    assert.equal(afterJob.escrow, before.escrow, 'the escrow account keeps nothing');

    // Alice paid the fee, the deposit and the submission's transaction fee, and got the
    // refund back. On the dev chain Alice also authors every block, which pays her half of
    // the collator pot each block: those payments are counted from the events.
    const rewards = await authorRewards(api, submittedAt, settledAt, alice.address);
    const aliceAfter = await freeAt(api, settled, alice.address);
    assert.equal(
      aliceAfter - before.alice,
      -fee - jobDeposit - submitFee + split.refunded.toBigInt() + rewards,
      'Alice: −fee − deposit − tx fee + refund (+ author rewards)',
    );
    const heldAfter = await inferenceHolds(api, settled, alice.address);
    assert.equal(heldAfter.escrow, heldBefore.escrow, 'no escrow is left held');
    assert.equal(heldAfter.deposit - heldBefore.deposit, jobDeposit, 'the deposit stays held until the record is pruned');

    // 10. Charlie claims the dataset's credit: exactly the data share.
    const owed = (await atSettled.call.dataRewardsApi.claimable(dataset, charlie.address)).toBigInt();
    assert.equal(owed, expected.data);
    const beforeClaim = await freeAt(api, settled, charlie.address);
    const claimed = await signAndWait(api, api.tx.dataRewards.claim(dataset), charlie);
    const claimEvent = findEvent(claimed.events, api.events.dataRewards.RewardsClaimed);
    assert.equal(claimEvent.data.amount.toBigInt(), owed);
    assert.equal(claimEvent.data.contributor.toString(), charlie.address);
    const afterClaim = await freeAt(api, claimed.blockHash, charlie.address);
    assert.equal(afterClaim, beforeClaim + owed - feeOf(api, claimed.events, charlie.address));
    assert.equal((await (await api.at(claimed.blockHash)).call.dataRewardsApi.claimable(dataset, charlie.address)).toBigInt(), 0n);

    // A settled job takes no more reveals, and there is nothing to advance.
    await expectError(api, revealTx('dave', dave), dave, 'inference.UnknownJob');
    await expectError(api, api.tx.inference.advance(job), charlie, 'inference.UnknownJob');
  });

  test('submissions outside the rules are refused and hold nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    assert.ok(model !== undefined, 'the first test registered the model and its workers');
    const quorum = { Quorum: { replicas: 3, threshold: 2 } };
    const quote = (await api.call.inferenceApi.quote(model, quorum)).unwrap().toBigInt();
    const input = new TextEncoder().encode('hello');
    const start = await api.rpc.chain.getBlockHash();
    const nextJob = (await api.query.inference.nextJobId()).toNumber();
    const held = await inferenceHolds(api, start, alice.address);
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const deadline = best + 60;

    const cases = [
      [[999_999, inline(input), quorum, quote, deadline], 'inference.UnknownModel'],
      // A threshold that is not a strict majority: two outputs could both win.
      [[model, inline(input), { Quorum: { replicas: 4, threshold: 2 } }, quote, deadline], 'inference.InvalidVerification'],
      [[model, inline(new Uint8Array()), quorum, quote, deadline], 'inference.InvalidPayload'],
      // The model takes at most 256 bytes.
      [[model, inline(new Uint8Array(257).fill(0x61)), quorum, quote, deadline], 'inference.InputTooLarge'],
      // Five replicas, three workers.
      [[model, inline(input), { Quorum: { replicas: 5, threshold: 3 } }, 10n * quote, deadline], 'inference.NotEnoughWorkers'],
      [[model, inline(input), quorum, quote - 1n, deadline], 'inference.FeeAboveMax'],
      // Too near for the assignment delay, a commit and a reveal period.
      [[model, inline(input), quorum, quote, best + 5], 'inference.DeadlineOutOfRange'],
    ];
    for (const [args, expected] of cases) {
      await expectError(api, api.tx.inference.submitJob(...args), alice, expected);
    }
    // An unknown job cannot be cancelled, committed to or advanced.
    await expectError(api, api.tx.inference.cancelJob(999_999), alice, 'inference.UnknownJob');
    await expectError(api, api.tx.inference.commitResult(999_999, randomAsU8a(32)), dave, 'inference.UnknownJob');

    const now = await api.rpc.chain.getBlockHash();
    assert.equal((await api.query.inference.nextJobId()).toNumber(), nextJob, 'no job was created');
    assert.deepEqual(await inferenceHolds(api, now, alice.address), held, 'nothing was held');
  });
});
