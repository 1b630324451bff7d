/**
 * The DeAI runtime metadata: documentation is kept, the expected pallets are
 * present, every type resolves without custom definitions, and the genesis
 * para id is 2000.
 */

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { stringCamelCase } from '@polkadot/util';

import { withTimeout } from '../lib/chain.js';
import { DEFAULT_READY_TIMEOUT_MS, printLogOnFailure, startNode } from '../lib/node.js';

const TEST_TIMEOUT_MS = 120_000;

/** Pallets the DeAI runtime must contain, as polkadot-js names them. */
const EXPECTED_PALLETS = [
  'system',
  'parachainSystem',
  'timestamp',
  'parachainInfo',
  'balances',
  'transactionPayment',
  'authorship',
  'collatorSelection',
  'session',
  'aura',
  'auraExt',
  'xcmpQueue',
  'messageQueue',
  'polkadotXcm',
  'cumulusXcm',
  'utility',
  'sudo',
  'randomnessCollectiveFlip',
  'modelRegistry',
  'dataRewards',
  'computeStaking',
  'inference',
  'governance',
];

/** The para id in the dev chain spec's genesis. */
const GENESIS_PARA_ID = 2000;

/** Assert that a documentation array has some non-blank text. */
function assertDocs(docs, what) {
  const text = docs.map((line) => line.toString()).join('\n').trim();
  assert.ok(text.length > 0, `${what} has documentation in the metadata`);
}

describe('DeAI runtime metadata', () => {
  let node;

  before(async () => {
    node = await startNode();
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 60_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('keeps documentation for calls, events and errors', { timeout: TEST_TIMEOUT_MS }, () => {
    const { api } = node;
    assertDocs(api.tx.balances.transferKeepAlive.meta.docs, 'balances.transferKeepAlive');
    assertDocs(api.events.balances.Transfer.meta.docs, 'balances.Transfer');
    assertDocs(api.errors.balances.InsufficientBalance.meta.docs, 'balances.InsufficientBalance');
  });

  test('contains the expected pallets', { timeout: TEST_TIMEOUT_MS }, () => {
    const { api } = node;
    const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => stringCamelCase(p.name.toString()));
    const missing = EXPECTED_PALLETS.filter((name) => !pallets.includes(name));
    assert.deepEqual(missing, [], `missing pallets; the runtime has: ${pallets.join(', ')}`);

    // Pallets with calls or storage are reachable through the api too.
    assert.ok(api.tx.balances && api.tx.sudo && api.tx.utility && api.tx.polkadotXcm, 'api.tx sections');
    assert.ok(api.query.system && api.query.parachainInfo && api.query.collatorSelection, 'api.query sections');
  });

  test('all metadata types resolve without custom type definitions', { timeout: TEST_TIMEOUT_MS }, async () => {
    // A second api, strict about unknown types and still given no `types`.
    const provider = new WsProvider(node.wsUrl);
    try {
      const strict = await withTimeout(
        ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true, throwOnUnknown: true }),
        60_000,
        'a strict api connection',
      );
      assert.equal(strict.runtimeVersion.specName.toString(), 'deai');
      await strict.disconnect();
    } finally {
      await provider.disconnect().catch(() => {});
    }
  });

  test(`the genesis para id is ${GENESIS_PARA_ID}`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const paraId = await node.api.query.parachainInfo.parachainId();
    assert.equal(paraId.toNumber(), GENESIS_PARA_ID);
  });
});
