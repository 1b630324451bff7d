#!/usr/bin/env node
/**
 * Writes a state snapshot of a running chain (every top-level key and value at the best
 * block, or at `--at <hash>`) as JSON, for `deai-runtime-fuzz try-runtime <file>`:
 *
 *   node e2e/tools/snapshot.js --url ws://127.0.0.1:9944 --out /tmp/deai-snapshot.json
 */

import { writeFileSync } from 'node:fs';

import { ApiPromise, WsProvider } from '@polkadot/api';

import { stateSnapshot } from '../lib/chain.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const url = option('--url', 'ws://127.0.0.1:9944');
const out = option('--out');
if (!out) {
  console.error('snapshot: --out <file> is required');
  process.exit(2);
}
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
try {
  const at = option('--at') ?? (await api.rpc.chain.getBlockHash()).toHex();
  const number = (await api.rpc.chain.getHeader(at)).number.toNumber();
  const pairs = await stateSnapshot(api, at);
  writeFileSync(out, JSON.stringify({ block: at, number, pairs }));
  console.log(`wrote ${out}: ${pairs.length} keys at #${number} (${at})`);
} finally {
  await api.disconnect();
}
