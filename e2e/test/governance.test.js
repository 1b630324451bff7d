/**
 * Governance on a running `local_testnet` chain of the `fast-runtime` Wasm,
 * built as a production Wasm is (without the `dev-sudo` feature), so it has no
 * sudo pallet at all: a plain signed account cannot reach any privileged
 * DeAI call (each fails with `BadOrigin`), so the only way to change a
 * protocol parameter or to pay a treasury grant is a full proposal. Two
 * proposals go all the way: propose, vote from several accounts (one vote
 * counts for at most 2 % of the issuance in the turnout, so one account never
 * reaches a quorum), close once the voting period is over, the chain enacts it by itself once the
 * enactment delay has passed, and observe the result. Misuse is refused with
 * the pallet's documented errors.
 *
 * The chain spec comes from `scripts/fast-runtime.sh` (see
 * `fastChainSpecPath()`); with `fast-runtime` a voting period is 20 blocks and
 * an enactment delay 2 blocks, one block every 3 s.
 */

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { DEAI, findEvent, freeAt, hashOf, headerOf, signAndWait } from '../lib/chain.js';
import {
  VOTE,
  callWeight,
  closeApproved,
  enactedByTheChain,
  governanceHold,
  proposalAt,
  propose,
  voteAye,
  votersNeeded,
  waitUntilBlock,
} from '../lib/governance.js';
import { DEFAULT_READY_TIMEOUT_MS, fastChainSpecPath, printLogOnFailure, startNode } from '../lib/node.js';

/** A full proposal takes about 30 blocks of 3 s, plus the votes and checks. */
const TEST_TIMEOUT_MS = 480_000;

/** The conviction multipliers (`Conviction` in the governance pallet). */
const MULTIPLIER = { None: 1n, Locked2x: 2n, Locked3x: 3n, Locked4x: 4n };

/** The conviction lock periods (multiples of `VoteLockingPeriod`). */
const LOCK_PERIODS = { None: 0, Locked2x: 1, Locked3x: 2, Locked4x: 4 };

// The tests run at the same time on one node (a proposal takes about two
// minutes); each signs with accounts of its own, so nonces never collide.
describe('DeAI governance (local_testnet, fast-runtime)', { concurrency: true }, () => {
  let node;
  let alice;
  let bob;
  let charlie;
  let dave;
  let eve;
  let ferdie;
  let aliceStash;
  let bobStash;
  let charlieStash;
  let daveStash;
  let eveStash;
  let ferdieStash;
  let grantee;

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((name) =>
      keyring.addFromUri(`//${name}`),
    );
    [aliceStash, bobStash, charlieStash, daveStash, eveStash, ferdieStash] = [
      'Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie',
    ].map((name) => keyring.addFromUri(`//${name}//stash`));
    // An account that exists only once its grant is paid.
    grantee = keyring.addFromUri('//DeAI-e2e-grantee');

    const chainSpec = fastChainSpecPath();
    if (!existsSync(chainSpec)) {
      throw new Error(
        `fast-runtime chain spec not found at ${chainSpec}. Build it with \`scripts/fast-runtime.sh\` ` +
          '(from the repository root), or point DEAI_FAST_CHAIN_SPEC at it.',
      );
    }
    node = await startNode({ chainSpec });

    // Days-long tracks would make these tests wait for days: insist on the fast runtime.
    const tracks = await node.api.call.governanceApi.tracks();
    const [, parameters] = tracks.find(([track]) => track.isParameters);
    const votingPeriod = parameters.votingPeriod.toNumber();
    if (votingPeriod > 100) {
      await node.stop();
      throw new Error(
        `${chainSpec} runs a runtime with a ${votingPeriod}-block voting period: it was not built ` +
          'with the `fast-runtime` feature. Rebuild it with `scripts/fast-runtime.sh`.',
      );
    }
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 60_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('no privileged DeAI call is reachable without governance', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    // A production Wasm has no sudo pallet: no root proposal can name a superuser.
    assert.equal(api.tx.sudo, undefined, 'no sudo calls in a production runtime');
    assert.equal(api.query.sudo, undefined, 'no sudo storage in a production runtime');

    // Alice (a collator and a curator on local_testnet) signs each privileged
    // call with valid arguments: the current parameters, a real account.
    const staking = await api.query.computeStaking.params();
    const inference = await api.query.inference.params();
    const calls = {
      'computeStaking.setParams': api.tx.computeStaking.setParams(staking),
      'inference.setParams': api.tx.inference.setParams(inference),
      'governance.grant': api.tx.governance.grant(eve.address, DEAI, hashOf('a grant nobody voted for')),
      'governance.cancelGrant': api.tx.governance.cancelGrant(0),
      'dataRewards.addCurator': api.tx.dataRewards.addCurator(eve.address),
      'dataRewards.removeCurator': api.tx.dataRewards.removeCurator(bob.address),
      'modelRegistry.setMaxRoyalty': api.tx.modelRegistry.setMaxRoyalty(50 * 10_000_000),
      'modelRegistry.retire': api.tx.modelRegistry.retire(0, 'no vote'),
      'modelRegistry.restore': api.tx.modelRegistry.restore(0),
    };
    for (const [name, tx] of Object.entries(calls)) {
      // A plain `BadOrigin` dispatch error, not a module error of the pallet.
      await assert.rejects(signAndWait(api, tx, alice), /transaction failed: BadOrigin$/, `${name} signed by Alice`);
    }

    // Nothing changed.
    const curators = (await api.query.dataRewards.curators()).map((c) => c.toString());
    assert.ok(!curators.includes(eve.address) && curators.includes(bob.address), 'the curator set is unchanged');
    assert.equal((await api.call.governanceApi.openGrants()).length, 0, 'no grant was awarded');
  });

  test('a parameter change passes through a full proposal', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    // Bob proposes; Charlie, Dave, Eve (and Ferdie if needed) vote; nobody else signs here.
    const pool = [[charlie, 'Locked2x'], [dave, 'None'], [eve, 'Locked3x'], [ferdie, 'None']];

    // Double the minimum delegation, keeping the other staking parameters.
    const current = await api.call.computeStakingApi.params();
    const minDelegation = current.minDelegation.toBigInt() * 2n;
    assert.ok(minDelegation > 0n);
    const call = api.tx.computeStaking.setParams({
      minWorkerBond: current.minWorkerBond,
      minDelegation,
      registrationDeposit: current.registrationDeposit,
      maxCommission: current.maxCommission,
    });

    // Enacting or closing too early is refused.
    const { index, votingEnds, deposit, quorum } = await propose(api, bob, 'Parameters', call, 'Double the minimum delegation');
    assert.equal(deposit, 100n * DEAI, 'the Parameters track deposit');
    await assert.rejects(
      signAndWait(api, api.tx.governance.enact(index, await callWeight(api, call)), bob),
      /governance\.NotApproved/,
    );
    await assert.rejects(signAndWait(api, api.tx.governance.close(index), bob), /governance\.VotingStillOpen/);

    // Enough accounts vote aye to reach the 5 % quorum; one vote alone never would.
    const { needed, perVote } = await votersNeeded(api, quorum);
    assert.ok(needed <= pool.length, `${needed} voters needed, ${pool.length} available`);
    const voters = pool.slice(0, needed);
    const lastVote = await voteAye(api, index, voters);
    await assert.rejects(
      signAndWait(api, api.tx.governance.vote(index, { kind: 'Nay', balance: DEAI, conviction: 'None' }), voters[0][0]),
      /governance\.AlreadyVoted/,
    );

    // The runtime API shows the conviction-weighted ayes, the capped turnout, and that it passes.
    const details = await proposalAt(api, lastVote, index);
    const tally = details.status.asOngoing.tally;
    const ayes = voters.reduce((sum, [, conviction]) => sum + VOTE * MULTIPLIER[conviction], 0n);
    assert.equal(tally.ayes.toBigInt(), ayes);
    assert.equal(tally.nays.toBigInt(), 0n);
    assert.equal(tally.turnout.toBigInt(), BigInt(needed) * perVote, 'each vote counts at most the cap toward turnout');
    assert.equal(tally.voters.toNumber(), needed);
    assert.ok(tally.turnout.toBigInt() >= quorum);
    assert.ok(details.passing.isTrue, 'the proposal would pass');
    const open = (await (await api.at(lastVote)).call.governanceApi.openProposals()).find((p) => p.index.toNumber() === index);
    assert.equal(open?.status.asOngoing.tally.ayes.toBigInt(), ayes, 'openProposals shows the same tally');

    // A vote freezes its balance until the voting period ends plus its conviction lock.
    const lockUnit = api.consts.governance.voteLockingPeriod.toNumber();
    const [locked, lockedConviction] = voters[0];
    const votes = await (await api.at(lastVote)).call.governanceApi.votesOf(locked.address);
    assert.equal(votes.frozen.toBigInt(), VOTE);
    assert.equal(votes.votes[0].unlockAt.toNumber(), votingEnds + LOCK_PERIODS[lockedConviction] * lockUnit);

    // After the voting period, Charlie closes: approved, and Bob's deposit is returned.
    await waitUntilBlock(api, votingEnds);
    const { closed, enactAt, closedAt } = await closeApproved(api, charlie, index);
    const { parentHash } = await headerOf(api, closed.blockHash);
    assert.equal(await governanceHold(api, closed.blockHash, bob.address), 0n, 'nothing is held any more');
    // Bob is one of local_testnet's two collators: what the block paid him as its author
    // (transfers from the collators' fee pot) comes on top of the deposit.
    const blockEvents = await (await api.at(closed.blockHash)).query.system.events();
    const authorReward = blockEvents
      .map(({ event }) => event)
      .filter((e) => api.events.balances.Transfer.is(e) && e.data.to.toString() === bob.address)
      .reduce((sum, e) => sum + e.data.amount.toBigInt(), 0n);
    assert.equal(
      await freeAt(api, closed.blockHash, bob.address),
      (await freeAt(api, parentHash, bob.address)) + deposit + authorReward,
      'the deposit is back in Bob\'s free balance',
    );
    assert.equal(enactAt, closedAt + 2, 'a 2-block enactment delay');

    // Votes without conviction unlock once the proposal is closed; Locked2x ones stay frozen.
    await assert.rejects(
      signAndWait(api, api.tx.governance.unlock(locked.address), locked),
      /governance\.StillLocked/,
    );
    const [free] = voters.find(([, conviction]) => conviction === 'None');
    const unlocked = await signAndWait(api, api.tx.governance.unlock(free.address), free);
    const unlockedEvent = findEvent(unlocked.events, api.events.governance.Unlocked);
    assert.ok(unlockedEvent, 'governance.Unlocked emitted');
    assert.equal(unlockedEvent.data.votes.toNumber(), 1);
    assert.equal(unlockedEvent.data.frozen.toBigInt(), 0n);

    // Once the delay has passed, the chain enacts it by itself: the parameter changed.
    const enacted = await enactedByTheChain(api, index, enactAt);
    const set = findEvent(enacted.events, api.events.computeStaking.ParamsSet);
    assert.ok(set, 'computeStaking.ParamsSet emitted by the enacted call');
    assert.equal(set.data.params.minDelegation.toBigInt(), minDelegation);
    const apiAt = await api.at(enacted.blockHash);
    const stored = await apiAt.query.computeStaking.params();
    assert.equal(stored.minDelegation.toBigInt(), minDelegation, 'the new minimum delegation is in storage');
    assert.equal(stored.minWorkerBond.toBigInt(), current.minWorkerBond.toBigInt(), 'the other parameters are kept');
    assert.equal(
      (await apiAt.call.computeStakingApi.params()).minDelegation.toBigInt(),
      minDelegation,
      'the runtime API reads the new value',
    );

    // An enacted proposal cannot be enacted again.
    await assert.rejects(
      signAndWait(api, api.tx.governance.enact(index, await callWeight(api, call)), dave),
      /governance\.NotApproved/,
    );
  });

  test('a treasury grant passes through a full proposal and is paid out', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    // Alice's stash funds the treasury, proposes, closes, enacts and claims;
    // the other stash accounts vote; the grantee never signs anything.
    const pool = [[bobStash, 'Locked4x'], [charlieStash, 'None'], [daveStash, 'Locked2x'], [eveStash, 'None'], [ferdieStash, 'Locked3x']];
    const fund = 10_000n * DEAI;
    const amount = 2_500n * DEAI;
    const purposeHash = hashOf('embedding model for low-resource languages');
    const ed = api.consts.balances.existentialDeposit.toBigInt();

    // Fund the treasury.
    const initial = await api.call.governanceApi.treasury();
    const treasury = initial.account.toString();
    const funded = await signAndWait(api, api.tx.balances.transferKeepAlive(treasury, fund), aliceStash);
    const afterFunding = await (await api.at(funded.blockHash)).call.governanceApi.treasury();
    assert.equal(afterFunding.balance.toBigInt(), initial.balance.toBigInt() + fund);
    assert.equal(afterFunding.committed.toBigInt(), 0n);
    assert.equal(afterFunding.available.toBigInt(), afterFunding.balance.toBigInt() - ed, 'all but the ED is available');
    assert.ok(afterFunding.available.toBigInt() >= amount);

    // Propose the grant on the Treasury track; enough stash accounts vote aye for the 8 % quorum.
    const call = api.tx.governance.grant(grantee.address, amount, purposeHash);
    const { index, votingEnds, quorum } = await propose(api, aliceStash, 'Treasury', call, 'Grant for a multilingual embedding model');
    const { needed, perVote } = await votersNeeded(api, quorum);
    assert.ok(needed <= pool.length, `${needed} voters needed, ${pool.length} available`);
    const voters = pool.slice(0, needed);
    const lastVote = await voteAye(api, index, voters);
    const details = await proposalAt(api, lastVote, index);
    assert.equal(details.status.asOngoing.tally.turnout.toBigInt(), BigInt(needed) * perVote);
    assert.equal(details.approval.toNumber(), 60 * 10_000_000, 'the Treasury track needs more than 60 % ayes');
    assert.ok(details.passing.isTrue, 'the proposal would pass');

    // Once the voting period is over, a late vote is refused and the proposal is closed.
    await waitUntilBlock(api, votingEnds);
    await assert.rejects(
      signAndWait(api, api.tx.governance.vote(index, { kind: 'Nay', balance: VOTE, conviction: 'None' }), aliceStash),
      /governance\.VotingEnded/,
    );
    const { closed, enactAt } = await closeApproved(api, aliceStash, index);
    assert.equal(await governanceHold(api, closed.blockHash, aliceStash.address), 0n, 'the deposit is returned');

    // Enactment (by the chain, once due) awards the grant: committed, not paid yet.
    const enacted = await enactedByTheChain(api, index, enactAt);
    const awarded = findEvent(enacted.events, api.events.governance.GrantAwarded);
    assert.ok(awarded, 'governance.GrantAwarded emitted by the enacted call');
    const id = awarded.data.id.toNumber();
    assert.equal(awarded.data.beneficiary.toString(), grantee.address);
    assert.equal(awarded.data.amount.toBigInt(), amount);
    assert.equal(awarded.data.purposeHash.toHex(), purposeHash);
    const apiAwarded = await api.at(enacted.blockHash);
    const grants = await apiAwarded.call.governanceApi.openGrants();
    assert.deepEqual(grants.map(([grantId]) => grantId.toNumber()), [id]);
    assert.equal(grants[0][1].beneficiary.toString(), grantee.address);
    assert.equal(grants[0][1].amount.toBigInt(), amount);
    const committed = await apiAwarded.call.governanceApi.treasury();
    assert.equal(committed.committed.toBigInt(), amount);
    assert.equal(committed.available.toBigInt(), afterFunding.available.toBigInt() - amount);

    // Anyone may pay it out; the funds go to the grantee, to the unit.
    const claimed = await signAndWait(api, api.tx.governance.claimGrant(id), aliceStash);
    const paid = findEvent(claimed.events, api.events.governance.GrantPaid);
    assert.ok(paid, 'governance.GrantPaid emitted');
    assert.equal(paid.data.beneficiary.toString(), grantee.address);
    assert.equal(paid.data.amount.toBigInt(), amount);
    const { parentHash } = await headerOf(api, claimed.blockHash);
    assert.equal(await freeAt(api, parentHash, grantee.address), 0n, 'the grantee had nothing before');
    assert.equal(await freeAt(api, claimed.blockHash, grantee.address), amount, 'the grantee received exactly the grant');
    assert.equal(
      await freeAt(api, claimed.blockHash, treasury),
      (await freeAt(api, parentHash, treasury)) - amount,
      'the treasury paid exactly the grant',
    );
    const apiClaimed = await api.at(claimed.blockHash);
    assert.equal((await apiClaimed.call.governanceApi.openGrants()).length, 0, 'no open grant is left');
    assert.equal((await apiClaimed.call.governanceApi.treasury()).committed.toBigInt(), 0n);

    // A grant is paid once.
    await assert.rejects(signAndWait(api, api.tx.governance.claimGrant(id), aliceStash), /governance\.UnknownGrant/);
  });
});
