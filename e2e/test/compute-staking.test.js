/**
 * Compute staking on a running dev chain: a model is registered (workers only
 * serve active models), a compute provider registers as a worker for it with a
 * bond, a registration deposit and an sr25519 attestation key of its own,
 * another account delegates to it, the worker sends a heartbeat, and both
 * start unbonding part of their stake. Everything is read back through
 * storage and through the runtime API, to the unit and to the unlock block.
 * Bad input is refused with the pallet's documented errors and holds nothing.
 */

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aToHex, u8aToString } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';

import { DEAI, findEvent, modelArgs, percent, signAndWait } from '../lib/chain.js';
import { DEFAULT_READY_TIMEOUT_MS, printLogOnFailure, startNode } from '../lib/node.js';

const TEST_TIMEOUT_MS = 240_000;

// The staking parameters of the dev preset (runtime/src/genesis_config_presets.rs).
const MIN_WORKER_BOND = 1_000n * DEAI;
const MIN_DELEGATION = 10n * DEAI;
const REGISTRATION_DEPOSIT = 100n * DEAI;
const MAX_COMMISSION = percent(50);

/** Blocks per day (`DAYS`): block numbers count 6-s slots, whatever the dev chain's seal interval. */
const DAYS = 14_400;

/** What the test worker tells about itself. */
const METADATA = 'https://worker.example:9944';
const CAPABILITIES = 'cpu=x86-64-v3;gpu=none;mem=16g';

/**
 * The pallet's pot account, which holds all delegated stake:
 * `PalletId(*b"deai/stk").into_account_truncating()`, i.e. `modl` ++
 * `deai/stk` padded with zeros to 32 bytes.
 */
const POT = encodeAddress(u8aConcat(stringToU8a('modl'), stringToU8a('deai/stk'), new Uint8Array(20)), 42);

/** The fee `address` paid in `events`. */
function feeOf(api, events, address) {
  const paid = findEvent(events, api.events.transactionPayment.TransactionFeePaid);
  assert.equal(paid.data.who.toString(), address);
  return paid.data.actualFee.toBigInt();
}

/** Whether the extrinsic of `events` paid its fee, as decided after dispatch (`Pays::Yes`). */
function paidFee(api, events) {
  const success = findEvent(events, api.events.system.ExtrinsicSuccess);
  assert.ok(success, 'system.ExtrinsicSuccess emitted');
  return success.data.dispatchInfo.paysFee.isYes;
}

/** The number of block `blockHash`. */
async function numberOf(api, blockHash) {
  return (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
}

/** The parent of block `blockHash`: its state is the one right before the block. */
async function parentOf(api, blockHash) {
  return (await api.rpc.chain.getHeader(blockHash)).parentHash;
}

/** Free and reserved (held) balance of `address` at `blockHash`. */
async function balancesAt(api, blockHash, address) {
  const { data } = await (await api.at(blockHash)).query.system.account(address);
  return { free: data.free.toBigInt(), reserved: data.reserved.toBigInt() };
}

/** What `address` has on hold for compute staking at `blockHash`, by reason (`WorkerBond`, …). */
async function stakingHolds(api, blockHash, address) {
  const holds = await (await api.at(blockHash)).query.balances.holds(address);
  const byReason = {};
  for (const h of holds.filter((h) => h.id.isComputeStaking)) {
    const reason = h.id.asComputeStaking.type;
    byReason[reason] = (byReason[reason] ?? 0n) + h.amount.toBigInt();
  }
  return byReason;
}

/** Unbonding chunks (`UnbondingChunk { value, unlock_at }`) as plain values. */
const chunks = (vec) => vec.map((c) => ({ value: c.value.toBigInt(), unlockAt: c.unlockAt.toNumber() }));

/** The parameters of a test model whose artifact is the UTF-8 of `artifact`. */
function modelParams(artifact) {
  return {
    name: 'all-MiniLM-L6-v2',
    version: '1.0.0',
    artifactHash: u8aToHex(blake2AsU8a(new TextEncoder().encode(artifact), 256)),
    uris: ['ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'],
    framework: 'Safetensors',
    license: 'Apache-2.0',
    inputSpec: { kind: 'Text', maxLen: 2048 },
    outputSpec: { QuantizedF32: { decimals: 4 } },
    price: 2n * DEAI,
    royalty: percent(10),
    parent: null,
    datasets: [],
  };
}

/** `owner` registers a model (active right away); returns its id. */
async function registerModel(api, owner, artifact) {
  const registered = await signAndWait(api, api.tx.modelRegistry.register(...modelArgs(modelParams(artifact))), owner);
  const event = findEvent(registered.events, api.events.modelRegistry.ModelRegistered);
  assert.ok(event, 'modelRegistry.ModelRegistered emitted');
  return event.data.model.toNumber();
}

describe('DeAI compute staking', () => {
  let node;
  let bob;
  let charlie;
  let dave;
  let eve;
  let ferdie;
  let attestation;

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [bob, charlie, dave, eve, ferdie] = ['//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((uri) =>
      keyring.addFromUri(uri),
    );
    // The key Charlie's worker process signs results with; not an account key.
    attestation = keyring.addFromUri('//DeaiWorkerKey');
    node = await startNode();
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 60_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('a worker registers, is delegated to, sends a heartbeat and unbonds', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;

    // The parameters are the dev preset's, through the runtime API and in storage alike.
    const params = await api.call.computeStakingApi.params();
    assert.equal(params.minWorkerBond.toBigInt(), MIN_WORKER_BOND);
    assert.equal(params.minDelegation.toBigInt(), MIN_DELEGATION);
    assert.equal(params.registrationDeposit.toBigInt(), REGISTRATION_DEPOSIT);
    assert.equal(params.maxCommission.toNumber(), MAX_COMMISSION);
    assert.deepEqual((await api.query.computeStaking.params()).toJSON(), params.toJSON());
    const unbondingPeriod = api.consts.computeStaking.unbondingPeriod.toNumber();
    assert.equal(unbondingPeriod, 7 * DAYS, 'unbonding takes 7 days');
    const heartbeatInterval = api.consts.computeStaking.heartbeatInterval.toNumber();

    // Bob registers the model the worker will serve.
    const model = await registerModel(api, bob, 'weights v1');

    // Charlie registers as a worker: bond and registration deposit are held, nothing else.
    const bond = 2_000n * DEAI;
    const attestationKey = u8aToHex(attestation.publicKey);
    assert.notEqual(attestationKey, u8aToHex(charlie.publicKey));
    const registered = await signAndWait(
      api,
      api.tx.computeStaking.registerWorker(bond, attestationKey, METADATA, CAPABILITIES, [model], percent(10)),
      charlie,
    );
    const regEvent = findEvent(registered.events, api.events.computeStaking.WorkerRegistered);
    assert.ok(regEvent, 'computeStaking.WorkerRegistered emitted');
    assert.equal(regEvent.data.worker.toString(), charlie.address);
    assert.equal(regEvent.data.bond.toBigInt(), bond);
    assert.equal(regEvent.data.deposit.toBigInt(), REGISTRATION_DEPOSIT);
    assert.equal(regEvent.data.attestationKey.toHex(), attestationKey);
    assert.deepEqual(regEvent.data.models.map((m) => m.toNumber()), [model]);

    const beforeReg = await parentOf(api, registered.blockHash);
    const charlieBefore = await balancesAt(api, beforeReg, charlie.address);
    const charlieAfter = await balancesAt(api, registered.blockHash, charlie.address);
    assert.equal(charlieAfter.reserved - charlieBefore.reserved, bond + REGISTRATION_DEPOSIT);
    assert.equal(
      charlieBefore.free - charlieAfter.free,
      bond + REGISTRATION_DEPOSIT + feeOf(api, registered.events, charlie.address),
    );
    assert.deepEqual(await stakingHolds(api, beforeReg, charlie.address), {});
    assert.deepEqual(await stakingHolds(api, registered.blockHash, charlie.address), {
      WorkerBond: bond,
      RegistrationDeposit: REGISTRATION_DEPOSIT,
    });

    // Storage: the worker record, its profile, an empty pool, and a slot in the model's worker set.
    const regBlock = await numberOf(api, registered.blockHash);
    const regAt = await api.at(registered.blockHash);
    const stored = (await regAt.query.computeStaking.workers(charlie.address)).unwrap();
    assert.equal(stored.attestationKey.toHex(), attestationKey);
    assert.deepEqual(stored.models.map((m) => m.toNumber()), [model]);
    assert.ok(stored.status.isActive);
    assert.equal(stored.commission.toNumber(), percent(10));
    assert.equal(stored.bonded.toBigInt(), bond);
    assert.equal(stored.deposit.toBigInt(), REGISTRATION_DEPOSIT);
    assert.equal(stored.registeredAt.toNumber(), regBlock);
    assert.equal(stored.lastHeartbeat.toNumber(), regBlock, 'registering counts as a heartbeat');
    const profile = (await regAt.query.computeStaking.profiles(charlie.address)).unwrap();
    assert.equal(u8aToString(profile.metadata), METADATA);
    assert.equal(u8aToString(profile.capabilities), CAPABILITIES);
    const emptyPool = (await regAt.query.computeStaking.pools(charlie.address)).unwrap();
    assert.equal(emptyPool.bonded.toBigInt(), 0n);
    assert.equal(emptyPool.delegators.toNumber(), 0);
    const listed = (await regAt.query.computeStaking.modelWorkers(model)).unwrap();
    assert.deepEqual(listed.map((w) => w.toString()), [charlie.address]);

    // Runtime API: the same record, active, online and eligible for the model.
    const details = (await regAt.call.computeStakingApi.worker(charlie.address)).unwrap();
    assert.equal(details.account.toString(), charlie.address);
    assert.equal(details.attestationKey.toHex(), attestationKey);
    assert.equal(u8aToString(details.metadata), METADATA);
    assert.equal(u8aToString(details.capabilities), CAPABILITIES);
    assert.deepEqual(details.models.map((m) => m.toNumber()), [model]);
    assert.ok(details.status.isActive);
    assert.equal(details.commission.toNumber(), percent(10));
    assert.equal(details.effectiveCommission.toNumber(), percent(10), 'below the maximum, the rate applies as set');
    assert.equal(details.bonded.toBigInt(), bond);
    assert.equal(details.deposit.toBigInt(), REGISTRATION_DEPOSIT);
    assert.deepEqual(chunks(details.unbonding), []);
    assert.equal(details.delegated.toBigInt(), 0n);
    assert.equal(details.delegators.toNumber(), 0);
    assert.equal(details.registeredAt.toNumber(), regBlock);
    assert.equal(details.online.isTrue, true);
    assert.equal(details.eligible.isTrue, true);
    assert.equal(details.reputation.slashes.toNumber(), 0);
    assert.equal(details.recentOffences.length, 0);
    const eligible = await regAt.call.computeStakingApi.eligibleWorkers(model);
    assert.deepEqual(eligible.map((w) => w.toString()), [charlie.address]);
    assert.equal((await regAt.call.computeStakingApi.eligibleWorkers(999_999)).length, 0, 'nobody serves model 999999');
    const slots = await regAt.call.computeStakingApi.workerSet(model);
    assert.deepEqual(
      slots.map((s) => ({ account: s.account.toString(), stake: s.stake.toBigInt(), drawable: s.drawable.isTrue })),
      [{ account: charlie.address, stake: bond, drawable: true }],
      'the worker set lists charlie with its stake, drawable',
    );

    // take_slot only replaces a weaker member of a full set: charlie already serves this
    // model, and a set with room is joined with set_served_models instead.
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.takeSlot(model, charlie.address), charlie),
      /computeStaking\.AlreadyServing/,
    );
    const roomy = await registerModel(api, bob, 'a model nobody serves yet');
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.takeSlot(roomy, charlie.address), charlie),
      /computeStaking\.WorkerSetNotFull/,
    );

    // A heartbeat right after registration is early (fewer than HeartbeatInterval blocks
    // since the last one): it is recorded, but pays the normal fee. Only on-time heartbeats
    // are free (Pays::No); that needs HeartbeatInterval blocks of waiting, not done here.
    const beat = await signAndWait(api, api.tx.computeStaking.heartbeat(), charlie);
    const beatBlock = await numberOf(api, beat.blockHash);
    assert.ok(
      beatBlock - regBlock < heartbeatInterval,
      `a heartbeat ${beatBlock - regBlock} blocks after registering is early`,
    );
    const beatEvent = findEvent(beat.events, api.events.computeStaking.HeartbeatReceived);
    assert.ok(beatEvent, 'computeStaking.HeartbeatReceived emitted');
    assert.equal(beatEvent.data.worker.toString(), charlie.address);
    assert.equal(beatEvent.data.onTime.isTrue, false, 'the heartbeat is not on time');
    assert.equal(paidFee(api, beat.events), true, 'an early heartbeat pays its fee');
    const beatFee = feeOf(api, beat.events, charlie.address);
    assert.ok(beatFee > 0n, 'a non-zero fee was paid');
    const beforeBeat = await balancesAt(api, await parentOf(api, beat.blockHash), charlie.address);
    const afterBeat = await balancesAt(api, beat.blockHash, charlie.address);
    assert.equal(beforeBeat.free - afterBeat.free, beatFee);
    const beatAt = await api.at(beat.blockHash);
    const afterBeatRecord = (await beatAt.query.computeStaking.workers(charlie.address)).unwrap();
    assert.equal(afterBeatRecord.lastHeartbeat.toNumber(), beatBlock);

    // Registering twice is refused.
    await assert.rejects(
      signAndWait(
        api,
        api.tx.computeStaking.registerWorker(bond, attestationKey, METADATA, CAPABILITIES, [model], percent(10)),
        charlie,
      ),
      /computeStaking\.AlreadyRegistered/,
    );

    // Dave delegates 50 DEAI: it leaves his free balance and is held on the pallet's pot,
    // and the first delegation to an empty pool mints shares 1:1.
    const delegated = 50n * DEAI;
    const del = await signAndWait(api, api.tx.computeStaking.delegate(charlie.address, delegated), dave);
    const delEvent = findEvent(del.events, api.events.computeStaking.Delegated);
    assert.ok(delEvent, 'computeStaking.Delegated emitted');
    assert.equal(delEvent.data.worker.toString(), charlie.address);
    assert.equal(delEvent.data.delegator.toString(), dave.address);
    assert.equal(delEvent.data.amount.toBigInt(), delegated);
    assert.equal(delEvent.data.shares.toBigInt(), delegated);
    const beforeDel = await parentOf(api, del.blockHash);
    const daveBefore = await balancesAt(api, beforeDel, dave.address);
    const daveAfter = await balancesAt(api, del.blockHash, dave.address);
    assert.equal(daveBefore.free - daveAfter.free, delegated + feeOf(api, del.events, dave.address));
    assert.equal(daveAfter.reserved, daveBefore.reserved, "Dave's stake is held on the pot, not on his account");
    const potBefore = (await stakingHolds(api, beforeDel, POT)).DelegatedStake ?? 0n;
    const potAfter = (await stakingHolds(api, del.blockHash, POT)).DelegatedStake ?? 0n;
    assert.equal(potAfter - potBefore, delegated);

    const delAt = await api.at(del.blockHash);
    const pool = (await delAt.query.computeStaking.pools(charlie.address)).unwrap();
    assert.equal(pool.bonded.toBigInt(), delegated);
    assert.equal(pool.shares.toBigInt(), delegated);
    assert.equal(pool.delegators.toNumber(), 1);
    const record = (await delAt.query.computeStaking.delegations(charlie.address, dave.address)).unwrap();
    assert.equal(record.shares.toBigInt(), delegated);
    assert.equal(record.unbonding.length, 0);
    const page = await delAt.call.computeStakingApi.delegations(charlie.address, 0, 10);
    assert.equal(page.length, 1);
    assert.equal(page[0].delegator.toString(), dave.address);
    assert.equal(page[0].shares.toBigInt(), delegated);
    assert.equal(page[0].value.toBigInt(), delegated);
    assert.deepEqual(chunks(page[0].unbonding), []);
    const withDelegation = (await delAt.call.computeStakingApi.worker(charlie.address)).unwrap();
    assert.equal(withDelegation.delegated.toBigInt(), delegated);
    assert.equal(withDelegation.delegators.toNumber(), 1);

    // A worker cannot delegate to itself, and a delegation needs the minimum.
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.delegate(charlie.address, delegated), charlie),
      /computeStaking\.SelfDelegation/,
    );
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.delegate(charlie.address, MIN_DELEGATION / 2n), eve),
      /computeStaking\.DelegationBelowMinimum/,
    );

    // Charlie unbonds 500 DEAI: it leaves the bond but stays held (slashable) until
    // UnbondingPeriod blocks after the unbonding block. 1,500 DEAI stay bonded: still eligible.
    const unbondAmount = 500n * DEAI;
    const unbonded = await signAndWait(api, api.tx.computeStaking.unbond(unbondAmount), charlie);
    const unlockAt = (await numberOf(api, unbonded.blockHash)) + unbondingPeriod;
    const unbEvent = findEvent(unbonded.events, api.events.computeStaking.Unbonded);
    assert.ok(unbEvent, 'computeStaking.Unbonded emitted');
    assert.equal(unbEvent.data.worker.toString(), charlie.address);
    assert.equal(unbEvent.data.amount.toBigInt(), unbondAmount);
    assert.equal(unbEvent.data.unlockAt.toNumber(), unlockAt);
    const unbAt = await api.at(unbonded.blockHash);
    const unbRecord = (await unbAt.query.computeStaking.workers(charlie.address)).unwrap();
    assert.equal(unbRecord.bonded.toBigInt(), bond - unbondAmount);
    assert.deepEqual(chunks(await unbAt.query.computeStaking.workerUnbonding(charlie.address)), [
      { value: unbondAmount, unlockAt },
    ]);
    assert.deepEqual(await stakingHolds(api, unbonded.blockHash, charlie.address), {
      WorkerBond: bond,
      RegistrationDeposit: REGISTRATION_DEPOSIT,
    });
    const beforeUnbond = await balancesAt(api, await parentOf(api, unbonded.blockHash), charlie.address);
    const afterUnbond = await balancesAt(api, unbonded.blockHash, charlie.address);
    assert.equal(afterUnbond.reserved, beforeUnbond.reserved, 'unbonding stake stays held');
    const unbDetails = (await unbAt.call.computeStakingApi.worker(charlie.address)).unwrap();
    assert.equal(unbDetails.bonded.toBigInt(), bond - unbondAmount);
    assert.deepEqual(chunks(unbDetails.unbonding), [{ value: unbondAmount, unlockAt }]);
    assert.ok(unbDetails.status.isActive);
    assert.equal(unbDetails.eligible.isTrue, true);
    const stillEligible = await unbAt.call.computeStakingApi.eligibleWorkers(model);
    assert.deepEqual(stillEligible.map((w) => w.toString()), [charlie.address]);

    // The bond may not fall below the minimum, and nothing is unlocked yet.
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.unbond(MIN_WORKER_BOND), charlie),
      /computeStaking\.WouldFallBelowMinimum/,
    );
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.withdrawUnbonded(), charlie),
      /computeStaking\.NothingToWithdraw/,
    );

    // Dave undelegates 20 DEAI: 30 DEAI stay delegated, 20 DEAI unbond, still held on the pot.
    const undelegateAmount = 20n * DEAI;
    const undelegated = await signAndWait(
      api,
      api.tx.computeStaking.undelegate(charlie.address, undelegateAmount),
      dave,
    );
    const undUnlockAt = (await numberOf(api, undelegated.blockHash)) + unbondingPeriod;
    const undEvent = findEvent(undelegated.events, api.events.computeStaking.Undelegated);
    assert.ok(undEvent, 'computeStaking.Undelegated emitted');
    assert.equal(undEvent.data.worker.toString(), charlie.address);
    assert.equal(undEvent.data.delegator.toString(), dave.address);
    assert.equal(undEvent.data.amount.toBigInt(), undelegateAmount);
    assert.equal(undEvent.data.shares.toBigInt(), undelegateAmount, 'shares are still worth 1 planck each');
    assert.equal(undEvent.data.unlockAt.toNumber(), undUnlockAt);
    const left = delegated - undelegateAmount;
    const undAt = await api.at(undelegated.blockHash);
    const undPool = (await undAt.query.computeStaking.pools(charlie.address)).unwrap();
    assert.equal(undPool.bonded.toBigInt(), left);
    assert.equal(undPool.shares.toBigInt(), left);
    assert.equal(undPool.unbonding.toBigInt(), undelegateAmount);
    assert.equal(undPool.delegators.toNumber(), 1);
    const undRecord = (await undAt.query.computeStaking.delegations(charlie.address, dave.address)).unwrap();
    assert.equal(undRecord.shares.toBigInt(), left);
    assert.deepEqual(
      undRecord.unbonding.map((c) => ({ points: c.points.toBigInt(), unlockAt: c.unlockAt.toNumber() })),
      [{ points: undelegateAmount, unlockAt: undUnlockAt }],
    );
    const undView = (await undAt.call.computeStakingApi.delegation(charlie.address, dave.address)).unwrap();
    assert.equal(undView.value.toBigInt(), left);
    assert.deepEqual(chunks(undView.unbonding), [{ value: undelegateAmount, unlockAt: undUnlockAt }]);
    const undPage = await undAt.call.computeStakingApi.delegations(charlie.address, 0, 10);
    assert.equal(undPage.length, 1);
    assert.equal(undPage[0].value.toBigInt(), left);
    const undDetails = (await undAt.call.computeStakingApi.worker(charlie.address)).unwrap();
    assert.equal(undDetails.delegated.toBigInt(), left);
    assert.equal(undDetails.delegatedUnbonding.toBigInt(), undelegateAmount);
    assert.equal(
      (await stakingHolds(api, undelegated.blockHash, POT)).DelegatedStake ?? 0n,
      potAfter,
      'undelegated stake stays held on the pot',
    );

    // What stays delegated must be zero or at least the minimum, and nothing is unlocked yet.
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.undelegate(charlie.address, left - MIN_DELEGATION / 2n), dave),
      /computeStaking\.DelegationBelowMinimum/,
    );
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.withdrawUndelegated(charlie.address), dave),
      /computeStaking\.NothingToWithdraw/,
    );
  });

  test('bad registrations are refused with documented errors and hold nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    const model = await registerModel(api, ferdie, 'ferdie weights');
    const before = await api.rpc.chain.getBlockHash();
    const { reserved } = await balancesAt(api, before, eve.address);

    const key = u8aToHex(attestation.publicKey);
    const register = ({ bond = MIN_WORKER_BOND, models = [model], commission = percent(10) }) =>
      api.tx.computeStaking.registerWorker(bond, key, METADATA, CAPABILITIES, models, commission);
    const cases = [
      ['a bond 1 planck below the minimum', { bond: MIN_WORKER_BOND - 1n }, /computeStaking\.BondBelowMinimum/],
      ['a commission above the maximum', { commission: MAX_COMMISSION + 1 }, /computeStaking\.CommissionTooHigh/],
      ['an unknown model', { models: [999_999] }, /computeStaking\.ModelNotActive/],
      ['a model listed twice', { models: [model, model] }, /computeStaking\.DuplicateModel/],
      ['a bond above the free balance', { bond: 1_000_000n * DEAI }, /computeStaking\.InsufficientBalance/],
    ];
    for (const [what, args, expected] of cases) {
      await assert.rejects(signAndWait(api, register(args), eve), expected, `${what} must fail with ${expected}`);
    }

    // A non-worker can neither act as a worker nor be delegated to.
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.heartbeat(), eve),
      /computeStaking\.NotRegistered/,
    );
    await assert.rejects(signAndWait(api, api.tx.computeStaking.unbond(DEAI), eve), /computeStaking\.NotRegistered/);
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.takeSlot(model, ferdie.address), eve),
      /computeStaking\.NotRegistered/,
    );
    await assert.rejects(
      signAndWait(api, api.tx.computeStaking.delegate(ferdie.address, 100n * DEAI), eve),
      /computeStaking\.NotRegistered/,
    );

    // Nothing was held and no worker exists: the failed deposit hold was rolled back too.
    const now = await api.rpc.chain.getBlockHash();
    assert.deepEqual(await stakingHolds(api, now, eve.address), {});
    assert.equal((await balancesAt(api, now, eve.address)).reserved, reserved);
    const apiNow = await api.at(now);
    assert.ok((await apiNow.query.computeStaking.workers(eve.address)).isNone);
    assert.ok((await apiNow.call.computeStakingApi.worker(eve.address)).isNone);
    assert.equal((await apiNow.call.computeStakingApi.eligibleWorkers(model)).length, 0);
    assert.ok((await apiNow.query.computeStaking.modelWorkers(model)).isNone);
  });
});
