/**
 * The model registry on a running dev chain: a dapp developer registers a
 * model with polkadot-js, reads it back through the runtime API, publishes a
 * new version, and governance (sudo on the dev chain) retires it. Bad input
 * is refused with the pallet's documented errors and changes nothing.
 */

import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { Keyring } from '@polkadot/keyring';
import { u8aToHex, u8aToString } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';

import { DEAI, findEvent, modelArgs, percent, signAndWait } from '../lib/chain.js';
import { DEFAULT_READY_TIMEOUT_MS, printLogOnFailure, startNode } from '../lib/node.js';

const TEST_TIMEOUT_MS = 180_000;

/** The parameters of a test model whose artifact is `artifact` (bytes). */
function modelParams(artifact, overrides = {}) {
  return {
    name: 'all-MiniLM-L6-v2',
    version: '1.0.0',
    artifactHash: u8aToHex(blake2AsU8a(artifact, 256)),
    uris: ['ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'],
    framework: 'Safetensors',
    license: 'Apache-2.0',
    inputSpec: { kind: 'Text', maxLen: 2048 },
    outputSpec: { QuantizedF32: { decimals: 4 } },
    price: 2n * DEAI,
    royalty: percent(10),
    parent: null,
    datasets: [],
    ...overrides,
  };
}

/** The amount `address` has on hold for the model registry at `blockHash`. */
async function registryHold(api, blockHash, address) {
  const holds = await (await api.at(blockHash)).query.balances.holds(address);
  return holds
    .filter((h) => h.id.isModelRegistry)
    .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
}

describe('DeAI model registry', () => {
  let node;
  let alice;
  let bob;
  let charlie;

  before(async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    alice = keyring.addFromUri('//Alice');
    bob = keyring.addFromUri('//Bob');
    charlie = keyring.addFromUri('//Charlie');
    node = await startNode();
  }, { timeout: DEFAULT_READY_TIMEOUT_MS + 60_000 });

  after(async () => {
    await node?.stop();
  });

  afterEach((t) => printLogOnFailure(t, node));

  test('register, read back, publish a version, deprecate, retire by governance', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;

    // Register: the deposit is held, the event names the model, the runtime API returns it.
    const params = modelParams(new TextEncoder().encode('weights v1'));
    const registered = await signAndWait(api, api.tx.modelRegistry.register(...modelArgs(params)), bob);
    const event = findEvent(registered.events, api.events.modelRegistry.ModelRegistered);
    assert.ok(event, 'modelRegistry.ModelRegistered emitted');
    const id = event.data.model.toNumber();
    const deposit = event.data.deposit.toBigInt();
    assert.equal(event.data.owner.toString(), bob.address);
    assert.equal(event.data.artifactHash.toHex(), params.artifactHash);
    assert.ok(deposit > 0n, 'a deposit is held');
    assert.equal(await registryHold(api, registered.blockHash, bob.address), deposit);

    const apiAt = await api.at(registered.blockHash);
    const details = (await apiAt.call.modelRegistryApi.model(id)).unwrap();
    assert.equal(details.model.owner.toString(), bob.address);
    assert.equal(u8aToString(details.model.spec.name), 'all-MiniLM-L6-v2');
    assert.equal(u8aToString(details.model.spec.version), '1.0.0');
    assert.equal(details.model.spec.artifactHash.toHex(), params.artifactHash);
    assert.ok(details.model.spec.framework.isSafetensors);
    assert.ok(details.model.spec.outputSpec.isQuantizedF32);
    assert.equal(details.model.spec.outputSpec.asQuantizedF32.decimals.toNumber(), 4);
    assert.equal(details.model.terms.price.toBigInt(), 2n * DEAI);
    assert.equal(details.model.terms.royalty.toNumber(), percent(10));
    assert.ok(details.model.status.isActive);
    assert.equal(details.model.deposit.toBigInt(), deposit);
    const mine = await apiAt.call.modelRegistryApi.modelsOf(bob.address);
    assert.ok(mine.map((m) => m.toNumber()).includes(id));

    // A new version names its predecessor and becomes the family's latest.
    const v2 = modelParams(new TextEncoder().encode('weights v2'), { version: '1.1.0' });
    const published = await signAndWait(api, api.tx.modelRegistry.publishVersion(id, ...modelArgs(v2)), bob);
    const pubEvent = findEvent(published.events, api.events.modelRegistry.VersionPublished);
    assert.ok(pubEvent, 'modelRegistry.VersionPublished emitted');
    const id2 = pubEvent.data.model.toNumber();
    const apiAt2 = await api.at(published.blockHash);
    assert.equal((await apiAt2.call.modelRegistryApi.latestActiveVersion(id)).unwrap().toNumber(), id2);
    // Both versions read back from storage too, with the same artifact hashes.
    for (const [modelId, hash] of [[id, params.artifactHash], [id2, v2.artifactHash]]) {
      const stored = (await apiAt2.query.modelRegistry.models(modelId)).unwrap();
      assert.equal(stored.owner.toString(), bob.address);
      assert.equal(stored.spec.artifactHash.toHex(), hash);
    }
    assert.equal((await apiAt2.query.modelRegistry.models(id2)).unwrap().predecessor.unwrap().toNumber(), id);
    const history = await apiAt2.call.modelRegistryApi.versionHistory(id2);
    assert.deepEqual(history.map((m) => m.id.toNumber()), [id, id2]);
    assert.equal(history[1].model.predecessor.unwrap().toNumber(), id);

    // The owner deprecates the old version; the latest active version is still v2.
    const deprecated = await signAndWait(api, api.tx.modelRegistry.deprecate(id), bob);
    assert.ok(findEvent(deprecated.events, api.events.modelRegistry.ModelDeprecated));

    // Retiring is governance's: a plain account gets BadOrigin, sudo (dev chain) succeeds.
    await assert.rejects(
      signAndWait(api, api.tx.modelRegistry.retire(id2, 'license violation'), charlie),
      /BadOrigin/,
    );
    const retired = await signAndWait(
      api,
      api.tx.sudo.sudo(api.tx.modelRegistry.retire(id2, 'license violation')),
      alice,
    );
    const sudid = findEvent(retired.events, api.events.sudo.Sudid);
    assert.ok(sudid?.data.sudoResult.isOk, 'sudo dispatch succeeded');
    assert.ok(findEvent(retired.events, api.events.modelRegistry.ModelRetired));
    const after = (await (await api.at(retired.blockHash)).call.modelRegistryApi.model(id2)).unwrap();
    assert.ok(after.model.status.isRetired);
    assert.equal(u8aToString(after.retirementReason.unwrap()), 'license violation');
  });

  test('bad input is refused with documented errors and holds nothing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    const before = await api.rpc.chain.getBlockHash();
    const held = await registryHold(api, before, charlie.address);
    const maxRoyalty = (await api.call.modelRegistryApi.maxRoyalty()).toNumber();
    assert.equal(maxRoyalty, percent(25), 'the dev preset caps royalties at 25 %');

    const artifact = new TextEncoder().encode('charlie weights');
    const cases = [
      [{ royalty: percent(30) }, /modelRegistry\.RoyaltyTooHigh/],
      [{ uris: [] }, /modelRegistry\.NoUri/],
      [{ uris: ['not a uri'] }, /modelRegistry\.InvalidUri/],
      [{ version: '' }, /modelRegistry\.InvalidVersion/],
      [{ outputSpec: { TopK: { k: 0 } } }, /modelRegistry\.InvalidOutputSpec/],
      [{ parent: 999_999 }, /modelRegistry\.UnknownParent/],
      [{ datasets: [[999_999, percent(100)]] }, /modelRegistry\.UnknownDataset/],
    ];
    for (const [overrides, expected] of cases) {
      await assert.rejects(
        signAndWait(api, api.tx.modelRegistry.register(...modelArgs(modelParams(artifact, overrides))), charlie),
        expected,
        `register with ${JSON.stringify(overrides)} must fail with ${expected}`,
      );
    }
    await assert.rejects(
      signAndWait(api, api.tx.modelRegistry.deprecate(999_999), charlie),
      /modelRegistry\.UnknownModel/,
    );
    const now = await api.rpc.chain.getBlockHash();
    assert.equal(await registryHold(api, now, charlie.address), held, 'no deposit was taken');
    assert.equal((await api.call.modelRegistryApi.modelsOf(charlie.address)).length, 0);
  });

  test('naming a model as parent gives a stranger no veto over its removal', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { api } = node;
    // Bob registers a base model; Charlie, a stranger, names it as the parent of his own.
    const registered = await signAndWait(api, api.tx.modelRegistry.register(...modelArgs(modelParams(new TextEncoder().encode('bob base weights')))), bob);
    const base = findEvent(registered.events, api.events.modelRegistry.ModelRegistered).data.model.toNumber();
    const tuned = await signAndWait(
      api,
      api.tx.modelRegistry.register(...modelArgs(modelParams(new TextEncoder().encode('charlie fine-tune weights'), { parent: base }))),
      charlie,
    );
    const child = findEvent(tuned.events, api.events.modelRegistry.ModelRegistered).data.model.toNumber();
    assert.deepEqual((await api.call.modelRegistryApi.fineTunesOf(base)).map((id) => id.toNumber()), [child]);
    // Bob removes his model all the same and gets his whole deposit back.
    const heldBefore = await registryHold(api, registered.blockHash, bob.address);
    const removed = await signAndWait(api, api.tx.modelRegistry.remove(base), bob);
    const event = findEvent(removed.events, api.events.modelRegistry.ModelRemoved);
    assert.ok(event, 'modelRegistry.ModelRemoved emitted');
    assert.equal(await registryHold(api, removed.blockHash, bob.address), heldBefore - event.data.deposit.toBigInt());
    assert.ok((await api.call.modelRegistryApi.model(base)).isNone, 'the base is gone');
    // The fine-tune keeps its lineage: it still names the removed parent.
    const record = (await api.call.modelRegistryApi.model(child)).unwrap();
    assert.equal(record.model.spec.parent.unwrap().toNumber(), base);
  });
});
