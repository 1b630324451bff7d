#!/usr/bin/env node
/**
 * Fills dev-chain blocks with transfers, then with result commitments, then with
 * reveals, and reports how many of each the chain took per block.
 *
 *   node e2e/tools/fill-blocks.js --url ws://127.0.0.1:9944 [--workers 128] [--jobs 250]
 *     [--transfers 6000]
 *
 * Needs a `--dev` chain (Alice is sudo): it funds `--workers` fresh accounts, registers
 * two models and the workers for them (at most 64 per model), opens `--jobs` 7-replica
 * quorum jobs (commit and reveal periods raised by sudo so nothing times out while they
 * are drawn, 8 per block), and once every job is assigned sends every commitment at
 * once, waits for all of them, then sends every reveal at once. Each batch is signed
 * up front and submitted together; the report counts the calls of each kind in each
 * block and prints the fullest block and the mean over the blocks the batch spanned.
 * Exits with 1 if a batch's transactions did not all land and succeed.
 */

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';

import { modelArgs } from '../lib/chain.js';
import { signingPayload } from '../lib/inference.js';

const DEAI = 10n ** 12n;

function parseArgs(argv) {
  const options = { url: 'ws://127.0.0.1:9944', workers: 128, jobs: 250, transfers: 6000 };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--url') options.url = value;
    else if (['--workers', '--jobs', '--transfers'].includes(key) && /^\d+$/.test(value ?? '')) options[key.slice(2)] = Number(value);
    else throw new Error(`unknown or malformed argument ${key} ${value ?? ''}`);
  }
  if (options.workers < 7 || options.workers > 128) throw new Error('--workers must be 7 to 128 (64 per model, two models)');
  return options;
}

/**
 * Submits signed extrinsics `xts` all at once (without one subscription each), then
 * reads every new block until all of them are in one; fails if any was dispatched with
 * an error or if they are not all in within `timeoutMs`.
 */
async function sendAll(api, xts, what, { timeoutMs = 300_000 } = {}) {
  const started = Date.now();
  let next = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
  const pending = new Set(xts.map((xt) => xt.hash.toHex()));
  await Promise.all(xts.map((xt) => api.rpc.author.submitExtrinsic(xt)));
  const blocks = [];
  let failed = 0;
  while (pending.size > 0) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: ${pending.size} of ${xts.length} not in a block after ${timeoutMs / 1000} s`);
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    for (; next <= best; next++) {
      const hash = await api.rpc.chain.getBlockHash(next);
      const block = await api.rpc.chain.getBlock(hash);
      const events = await (await api.at(hash)).query.system.events();
      let found = 0;
      block.block.extrinsics.forEach((x, index) => {
        if (!pending.delete(x.hash.toHex())) return;
        found += 1;
        const bad = events.some(({ phase, event }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index && api.events.system.ExtrinsicFailed.is(event));
        if (bad) failed += 1;
      });
      if (found > 0) blocks.push(hash.toHex());
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (failed > 0) throw new Error(`${what}: ${failed} of ${xts.length} transactions failed`);
  return { blocks, seconds: (Date.now() - started) / 1000 };
}

/** How many calls `section.method` each of `blocks` holds. */
async function countPerBlock(api, blocks, section, method) {
  const counts = [];
  for (const hash of blocks) {
    const block = await api.rpc.chain.getBlock(hash);
    const n = block.block.extrinsics.filter((x) => x.method.section === section && x.method.method === method).length;
    counts.push({ number: block.block.header.number.toNumber(), n });
  }
  return counts.sort((a, b) => a.number - b.number);
}

function report(kind, counts, seconds, total) {
  const max = Math.max(...counts.map((c) => c.n));
  const mean = counts.reduce((s, c) => s + c.n, 0) / counts.length;
  const line = counts.map((c) => `#${c.number}:${c.n}`).join(' ');
  console.log(`${kind.padEnd(10)} ${String(total).padStart(5)} sent, ${counts.length} blocks, most in one block ${max}, mean ${mean.toFixed(0)}; ${seconds.toFixed(1)} s  [${line}]`);
  return { kind, total, blocks: counts.length, max, mean };
}

/** Signs `calls` (pairs of [pair, call]) with consecutive nonces per signer. */
async function signAll(api, calls) {
  const nonces = new Map();
  const out = [];
  for (const [pair, call] of calls) {
    if (!nonces.has(pair.address)) nonces.set(pair.address, (await api.rpc.system.accountNextIndex(pair.address)).toNumber());
    const nonce = nonces.get(pair.address);
    nonces.set(pair.address, nonce + 1);
    out.push(await call.signAsync(pair, { nonce, era: 0 }));
  }
  return out;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: new WsProvider(options.url), noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const workers = Array.from({ length: options.workers }, (_, i) => keyring.addFromUri(`//deai-fill/${i}`));
  const results = [];

  // 1. Transfers: many senders, so the pool's per-account limits do not cap the batch.
  const senders = Array.from({ length: 60 }, (_, i) => keyring.addFromUri(`//deai-fill/sender/${i}`));
  await sendAll(api, await signAll(api, [[alice, api.tx.utility.batchAll(senders.map((s) => api.tx.balances.transferKeepAlive(s.address, 1_000n * DEAI)))]]), 'funding senders');
  const transfers = await signAll(
    api,
    Array.from({ length: options.transfers }, (_, i) => [senders[i % senders.length], api.tx.balances.transferKeepAlive(bob.address, DEAI)]),
  );
  const t = await sendAll(api, transfers, 'transfers');
  results.push(report('transfer', await countPerBlock(api, t.blocks, 'balances', 'transferKeepAlive'), t.seconds, transfers.length));

  // 2. Set-up: fund and register the workers, two models, long commit and reveal periods.
  await sendAll(api, await signAll(api, [[alice, api.tx.utility.batchAll(workers.map((w) => api.tx.balances.transferKeepAlive(w.address, 5_000n * DEAI)))]]), 'funding workers');
  const models = [];
  for (const seed of [1, 2]) {
    const params = {
      name: `fill-${seed}`, version: '1', artifactHash: u8aToHex(blake2AsU8a(`fill-${seed}`)), uris: ['file://fill'],
      framework: 'Safetensors', license: 'MIT', inputSpec: { kind: 'Text', maxLen: 256 }, outputSpec: 'Exact',
      price: DEAI, royalty: 0, parent: null, datasets: [],
    };
    const before = (await api.query.modelRegistry.nextModelId()).toNumber();
    await sendAll(api, await signAll(api, [[bob, api.tx.modelRegistry.register(...modelArgs(params))]]), 'registering a model');
    models.push(before);
  }
  const modelOf = (i) => models[i % 2];
  await sendAll(
    api,
    await signAll(api, workers.map((w, i) => [w, api.tx.computeStaking.registerWorker(1_000n * DEAI, w.publicKey, 'fill', 'cpu', [modelOf(i)], 0)])),
    'registering workers',
  );
  const protocol = (await api.query.inference.params()).toJSON();
  await sendAll(api, await signAll(api, [[alice, api.tx.sudo.sudo(api.tx.inference.setParams({ ...protocol, commitPeriod: 600, revealPeriod: 600 }))]]), 'raising the periods');

  // 3. Jobs: 7 replicas each, from several submitters, in waves under the queue bound.
  const verification = { Quorum: { replicas: 7, threshold: 4 } };
  const submitters = senders.slice(0, 10);
  const jobs = [];
  const firstJob = (await api.query.inference.nextJobId()).toNumber();
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  for (let i = 0; i < options.jobs; i++) {
    const model = modelOf(i);
    const fee = (await api.call.inferenceApi.quote(model, verification)).unwrap().toBigInt();
    const input = stringToU8a(`fill job ${i}`);
    jobs.push({ job: firstJob + i, input });
    jobs[i].call = [submitters[i % submitters.length], api.tx.inference.submitJob(model, { Inline: u8aToHex(input) }, verification, fee, best + 1_500)];
  }
  for (let i = 0; i < jobs.length; i += 200) {
    await sendAll(api, await signAll(api, jobs.slice(i, i + 200).map((j) => j.call)), 'submitting jobs');
  }
  console.log(`${jobs.length} jobs submitted; waiting for them to be drawn (8 per block)`);
  const duties = new Map(workers.map((w) => [w.address, []]));
  for (;;) {
    let assigned = 0;
    for (const w of workers) {
      const list = await api.call.inferenceApi.workerJobs(w.address);
      duties.set(w.address, list.filter((d) => d.duty.isCommit).map((d) => d.job.toNumber()));
      assigned += duties.get(w.address).length;
    }
    const queued = (await api.query.inference.assignmentQueue()).length;
    if (assigned >= jobs.length * 7 || (assigned > 0 && queued === 0)) {
      console.log(`${assigned} commit duties assigned`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 6_000));
  }

  // 4. Commits, all at once; then reveals, all at once.
  const output = new Uint8Array(32).fill(7);
  const outputHash = blake2AsU8a(output, 256);
  const salt = (job, w) => blake2AsU8a(stringToU8a(`salt ${job} ${w.address}`), 256);
  const pairs = [];
  for (const w of workers) for (const job of duties.get(w.address)) pairs.push([w, job]);
  const commits = await signAll(
    api,
    pairs.map(([w, job]) => {
      const commitment = blake2AsU8a(api.createType('(u64, AccountId32, [u8; 32], [u8; 32])', [job, w.address, outputHash, salt(job, w)]).toU8a(), 256);
      return [w, api.tx.inference.commitResult(job, commitment)];
    }),
  );
  const c = await sendAll(api, commits, 'commits');
  results.push(report('commit', await countPerBlock(api, c.blocks, 'inference', 'commitResult'), c.seconds, commits.length));

  const reveals = [];
  for (const [w, job] of pairs) {
    const input = (await api.call.inferenceApi.jobInput(job)).unwrap();
    const attested = { job, modelHash: input.modelHash, inputHash: input.inputHash, outputHash, worker: w.address };
    const signature = w.sign(signingPayload(api, attested));
    reveals.push([w, api.tx.inference.revealResult(job, { Inline: u8aToHex(output) }, salt(job, w), signature)]);
  }
  const r = await sendAll(api, await signAll(api, reveals), 'reveals');
  results.push(report('reveal', await countPerBlock(api, r.blocks, 'inference', 'revealResult'), r.seconds, reveals.length));

  const transfer = results[0].max;
  for (const x of results) console.log(`${x.kind}: at most ${x.max} per block, ${(x.max / transfer).toFixed(2)}x the transfers per block`);
  await api.disconnect();
}

main().catch((err) => {
  console.error(`fill-blocks: ${err.message}`);
  process.exit(1);
});
