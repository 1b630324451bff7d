/**
 * Data rewards on a running dev chain: a dataset is created, two people
 * contribute, the curator (Alice on the dev chain) accepts both with
 * different quality, a funder tops up the dataset's reward pool, and each
 * contributor can claim exactly their share, read first through the runtime
 * API. Bad input is refused with the pallet's documented errors.
 */

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { DEAI, findEvent, freeAt, hashOf, signAndWait } from '../lib/chain.js';
import { DEFAULT_READY_TIMEOUT_MS, printLogOnFailure, startNode } from '../lib/node.js';

const TEST_TIMEOUT_MS = 240_000;

/** The fee `address` paid in `events`. */
function feeOf(api, events, address) {
  const paid = findEvent(events, api.events.transactionPayment.TransactionFeePaid);
  assert.equal(paid.data.who.toString(), address);
  return paid.data.actualFee.toBigInt();
}

describe('DeAI data rewards', () => {
  let node;
  let alice;
  let bob;
  let charlie;
  let dave;
  let eve;

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, bob, charlie, dave, eve] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve'].map((uri) =>
      keyring.addFromUri(uri),
    );
    node = await startNode();
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 60_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('contributions are curated and a bounty is claimed pro rata', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;

    // Bob creates a dataset; its deposit is held.
    const created = await signAndWait(
      api,
      api.tx.dataRewards.createDataset('wiki-sentences', hashOf('manifest'), 'ipfs://manifest', 'CC-BY-4.0', hashOf('schema')),
      bob,
    );
    const createdEvent = findEvent(created.events, api.events.dataRewards.DatasetCreated);
    assert.ok(createdEvent, 'dataRewards.DatasetCreated emitted');
    const dataset = createdEvent.data.dataset.toNumber();
    assert.ok(createdEvent.data.deposit.toBigInt() >= DEAI, 'the dataset deposit is at least 1 DEAI');

    // Charlie and Dave contribute with the same declared weight.
    const contributionIds = [];
    for (const [who, name] of [[charlie, 'charlie'], [dave, 'dave']]) {
      const submitted = await signAndWait(
        api,
        api.tx.dataRewards.submitContribution(dataset, hashOf(name), `ipfs://${name}`, 1_000_000, 100),
        who,
      );
      const ev = findEvent(submitted.events, api.events.dataRewards.ContributionSubmitted);
      assert.ok(ev, 'dataRewards.ContributionSubmitted emitted');
      contributionIds.push(ev.data.contribution.toNumber());
    }

    // Only a curator may accept; Alice (the dev chain's curator) accepts with quality 100 and 50.
    await assert.rejects(
      signAndWait(api, api.tx.dataRewards.acceptContribution(contributionIds[0], 100), eve),
      /dataRewards\.NotCurator/,
    );
    await signAndWait(api, api.tx.dataRewards.acceptContribution(contributionIds[0], 100), alice);
    const accepted = await signAndWait(api, api.tx.dataRewards.acceptContribution(contributionIds[1], 50), alice);
    const page = await (await api.at(accepted.blockHash)).call.dataRewardsApi.contributors(dataset, null, 10);
    const shares = new Map(page.map(([who, s]) => [who.toString(), s.toBigInt()]));
    assert.equal(shares.size, 2);
    assert.equal(shares.get(charlie.address), 2n * shares.get(dave.address), 'quality 100 earns twice the shares of 50');

    // Eve funds a bounty of 30 DEAI: Charlie is owed 20, Dave 10, to the unit.
    const bounty = 30n * DEAI;
    const topped = await signAndWait(api, api.tx.dataRewards.topUp(dataset, bounty), eve);
    assert.ok(findEvent(topped.events, api.events.dataRewards.PoolToppedUp));
    const apiAt = await api.at(topped.blockHash);
    const owedCharlie = (await apiAt.call.dataRewardsApi.claimable(dataset, charlie.address)).toBigInt();
    const owedDave = (await apiAt.call.dataRewardsApi.claimable(dataset, dave.address)).toBigInt();
    assert.equal(owedCharlie, 20n * DEAI);
    assert.equal(owedDave, 10n * DEAI);

    // Charlie claims: the balance grows by exactly the claim minus the fee, and nothing is left.
    const beforeClaim = await freeAt(api, topped.blockHash, charlie.address);
    const claimed = await signAndWait(api, api.tx.dataRewards.claim(dataset), charlie);
    const claimEvent = findEvent(claimed.events, api.events.dataRewards.RewardsClaimed);
    assert.equal(claimEvent.data.amount.toBigInt(), owedCharlie);
    const afterClaim = await freeAt(api, claimed.blockHash, charlie.address);
    assert.equal(afterClaim, beforeClaim + owedCharlie - feeOf(api, claimed.events, charlie.address));
    const apiAfter = await api.at(claimed.blockHash);
    assert.equal((await apiAfter.call.dataRewardsApi.claimable(dataset, charlie.address)).toBigInt(), 0n);
    assert.equal((await apiAfter.call.dataRewardsApi.claimable(dataset, dave.address)).toBigInt(), owedDave);

    // A second claim has nothing to take.
    await assert.rejects(
      signAndWait(api, api.tx.dataRewards.claim(dataset), charlie),
      /dataRewards\.NothingToClaim/,
    );
  });

  test('bad input is refused with documented errors', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    await assert.rejects(
      signAndWait(api, api.tx.dataRewards.submitContribution(999_999, hashOf('x'), 'ipfs://x', 1, 1), eve),
      /dataRewards\.DatasetNotFound/,
    );
    await assert.rejects(
      signAndWait(api, api.tx.dataRewards.topUp(999_999, DEAI), eve),
      /dataRewards\.DatasetNotFound/,
    );
    await assert.rejects(
      signAndWait(api, api.tx.dataRewards.addCurator(eve.address), eve),
      /BadOrigin/,
    );
    await assert.rejects(
      signAndWait(api, api.tx.dataRewards.acceptContribution(999_999, 100), alice),
      /dataRewards\.ContributionNotFound/,
    );
  });
});
