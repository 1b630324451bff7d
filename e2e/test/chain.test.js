/**
 * The DeAI dev node produces and finalizes blocks, and reports the DeAI
 * runtime and token properties.
 */

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { waitForBlock } from '../lib/chain.js';
import { DEFAULT_READY_TIMEOUT_MS, printLogOnFailure, startNode } from '../lib/node.js';

const TEST_TIMEOUT_MS = 120_000;

describe('DeAI dev chain', () => {
  let node;

  before(async () => {
    node = await startNode();
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 60_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('produces and finalizes blocks', { timeout: TEST_TIMEOUT_MS }, async () => {
    // The dev node seals a block every 3 s and finalizes each one.
    const [best, finalized] = await Promise.all([
      waitForBlock(node.api, { atLeast: 3, timeoutMs: 90_000 }),
      waitForBlock(node.api, { atLeast: 2, finalized: true, timeoutMs: 90_000 }),
    ]);
    assert.ok(best.number.toNumber() >= 3, `best block #${best.number}`);
    assert.ok(finalized.number.toNumber() >= 2, `finalized block #${finalized.number}`);

    // The finalized head is part of the canonical chain.
    const canonical = await node.api.rpc.chain.getBlockHash(finalized.number.toNumber());
    assert.equal(canonical.toHex(), finalized.hash.toHex());
  });

  test('runs the DeAI runtime', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    assert.equal(api.runtimeVersion.specName.toString(), 'deai');
    const version = await api.rpc.state.getRuntimeVersion();
    assert.equal(version.specName.toString(), 'deai');

    const chain = (await api.rpc.system.chain()).toString();
    assert.ok(chain.length > 0, 'system_chain returns a chain name');
  });

  test('has the DEAI token properties', { timeout: TEST_TIMEOUT_MS }, async () => {
    const props = await node.api.rpc.system.properties();
    assert.ok(props.tokenSymbol.isSome, 'tokenSymbol is set');
    assert.ok(props.tokenDecimals.isSome, 'tokenDecimals is set');
    assert.ok(props.ss58Format.isSome, 'ss58Format is set');
    assert.deepEqual(props.tokenSymbol.unwrap().map((s) => s.toString()), ['DEAI']);
    assert.deepEqual(props.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);
    assert.equal(props.ss58Format.unwrap().toNumber(), 42);

    // The api picked them up as the registry's defaults too.
    assert.deepEqual(node.api.registry.chainTokens, ['DEAI']);
    assert.deepEqual(node.api.registry.chainDecimals, [12]);
    assert.equal(node.api.registry.chainSS58, 42);
  });
});
