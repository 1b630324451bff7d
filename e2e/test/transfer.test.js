/**
 * Balance transfers on the DeAI dev chain, signed with the polkadot-js
 * keyring and decoded from runtime metadata alone (no custom types).
 */

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

import { DEAI, signAndWait, waitForBlock } from '../lib/chain.js';
import { DEFAULT_READY_TIMEOUT_MS, printLogOnFailure, startNode } from '../lib/node.js';

const TEST_TIMEOUT_MS = 180_000;

/** 1.5 DEAI. */
const AMOUNT = 1_500_000_000_000n;

/** Free balance of `address` in the state after block `blockHash`. */
async function freeBalanceAt(api, blockHash, address) {
  const apiAt = await api.at(blockHash);
  const { data } = await apiAt.query.system.account(address);
  return data.free.toBigInt();
}

describe('DeAI balance transfers', () => {
  let node;
  let keyring;
  let alice;

  before(async () => {
    await cryptoWaitReady();
    keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    alice = keyring.addFromUri('//Alice');
    node = await startNode();
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 60_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('transferKeepAlive from Alice to a fresh account', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    assert.equal(AMOUNT, (3n * DEAI) / 2n);
    const recipient = keyring.addFromUri(mnemonicGenerate());
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    assert.ok(AMOUNT >= ed, `amount ${AMOUNT} must reach the existential deposit ${ed}`);

    const tx = api.tx.balances.transferKeepAlive(recipient.address, AMOUNT);
    const { blockHash, events } = await signAndWait(api, tx, alice, { until: 'inBlock' });

    // Every event of the extrinsic decodes from metadata alone.
    for (const { event } of events) {
      assert.ok(api.events[event.section]?.[event.method], `known event ${event.section}.${event.method}`);
      assert.doesNotThrow(() => event.toHuman());
    }
    const find = (check) => events.map(({ event }) => event).find((event) => check.is(event));

    const transfer = find(api.events.balances.Transfer);
    assert.ok(transfer, 'balances.Transfer emitted');
    const [from, to, amount] = transfer.data;
    assert.equal(from.toString(), alice.address);
    assert.equal(to.toString(), recipient.address);
    assert.equal(amount.toBigInt(), AMOUNT);

    assert.ok(find(api.events.system.ExtrinsicSuccess), 'system.ExtrinsicSuccess emitted');

    const feePaid = find(api.events.transactionPayment.TransactionFeePaid);
    assert.ok(feePaid, 'transactionPayment.TransactionFeePaid emitted');
    const [payer, actualFee, tip] = feePaid.data;
    assert.equal(payer.toString(), alice.address);
    assert.equal(tip.toBigInt(), 0n);
    const fee = actualFee.toBigInt();
    assert.ok(fee > 0n, 'a non-zero fee was paid');

    // Balances right before and right after the including block.
    const header = await api.rpc.chain.getHeader(blockHash);
    const parent = header.parentHash;
    const recipientBefore = await freeBalanceAt(api, parent, recipient.address);
    const recipientAfter = await freeBalanceAt(api, blockHash, recipient.address);
    const aliceBefore = await freeBalanceAt(api, parent, alice.address);
    const aliceAfter = await freeBalanceAt(api, blockHash, alice.address);
    assert.equal(recipientBefore, 0n);
    assert.equal(recipientAfter - recipientBefore, AMOUNT);
    assert.equal(aliceBefore - aliceAfter, AMOUNT + fee);

    // The including block gets finalized and stays canonical.
    const number = header.number.toNumber();
    await waitForBlock(api, { atLeast: number, finalized: true, timeoutMs: 60_000 });
    const canonical = await api.rpc.chain.getBlockHash(number);
    assert.equal(canonical.toHex(), blockHash.toHex());
  });

  test('a transfer from an unfunded account is rejected', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    const pauper = keyring.addFromUri(mnemonicGenerate());
    const { data } = await api.query.system.account(pauper.address);
    assert.equal(data.free.toBigInt(), 0n);

    const tx = api.tx.balances.transferKeepAlive(alice.address, 1n * DEAI);
    await assert.rejects(
      signAndWait(api, tx, pauper, { timeoutMs: 30_000 }),
      (err) => {
        assert.match(err.message, /pay|balance|fund/i);
        return true;
      },
    );
  });
});
