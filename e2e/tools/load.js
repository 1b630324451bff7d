#!/usr/bin/env node
/**
 * Sustained job load against a running DeAI chain with real workers: submits
 * inference jobs at a fixed rate for a bounded time, waits until every job
 * has settled, and reports throughput, submit-to-settlement latency and the
 * accounting of every fee unit.
 *
 *   node e2e/tools/load.js --url ws://127.0.0.1:9944 --model 0 --rate 1 --duration 60
 *     [--replicas 3] [--threshold 2] [--signers //Alice,//Bob,//Charlie] [--json out.json]
 *
 * Checks (the exit code is 1 when one fails):
 * - every submitted job ended completed or failed-and-refunded (none open, none lost);
 * - for every completed job, workers + owner + data + treasury + refunded = its fee;
 *   for every failed job, the refund is the whole fee;
 * - no job escrow is left on hold for the submitters;
 * - total issuance is the same before and after (fees and slashes move funds, none are
 *   minted or burned on this chain).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:9944' },
    model: { type: 'string' },
    rate: { type: 'string', default: '1' },
    duration: { type: 'string', default: '60' },
    replicas: { type: 'string', default: '3' },
    threshold: { type: 'string', default: '2' },
    signers: { type: 'string', default: '//Alice,//Bob,//Charlie' },
    settle: { type: 'string', default: '300' },
    json: { type: 'string' },
  },
});
if (values.model === undefined) {
  console.error('error: --model <id> is required');
  process.exit(2);
}
const rate = Number(values.rate);
const duration = Number(values.duration);
if (!(rate > 0) || !(duration > 0)) {
  console.error('error: --rate and --duration must be positive numbers');
  process.exit(2);
}

const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(values.url), noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const signers = values.signers.split(',').map((uri) => keyring.addFromUri(uri));
const model = Number(values.model);
const verification = { Quorum: { replicas: Number(values.replicas), threshold: Number(values.threshold) } };

/** job id -> { submittedAt, settledAt, fee, outcome, split, refunded, submitter } */
const jobs = new Map();
/** Submissions not yet seen in a block, by tx hash. */
let pending = 0;
const failures = [];

async function escrowOnHold() {
  let total = 0n;
  for (const s of signers) {
    const holds = await api.query.balances.holds(s.address);
    for (const h of holds) if (h.id.isInference && h.id.asInference.isJobEscrow) total += h.amount.toBigInt();
  }
  return total;
}

const issuanceBefore = (await api.query.balances.totalIssuance()).toBigInt();
const escrowBefore = await escrowOnHold();
const fee = (await api.call.inferenceApi.quote(model, verification)).unwrap().toBigInt();

// Settlement events, from every new block.
const unsubscribe = await api.rpc.chain.subscribeNewHeads(async (header) => {
  const at = await api.at(header.hash);
  const now = Date.now();
  for (const { event } of await at.query.system.events()) {
    if (api.events.inference.JobCompleted.is(event)) {
      const job = jobs.get(event.data.job.toNumber());
      if (job && !job.settledAt) {
        job.settledAt = now;
        job.outcome = 'completed';
        const s = event.data.split;
        job.split = ['workers', 'owner', 'data', 'treasury', 'refunded'].reduce((sum, k) => sum + s[k].toBigInt(), 0n);
      }
    } else if (api.events.inference.JobFailed.is(event)) {
      const job = jobs.get(event.data.job.toNumber());
      if (job && !job.settledAt) {
        job.settledAt = now;
        job.outcome = `failed (${event.data.reason.toString()})`;
        job.split = event.data.refunded.toBigInt();
      }
    }
  }
});

// Submissions: one every 1/rate s, signers in turn, each with its own nonce counter.
const nonces = await Promise.all(signers.map((s) => api.rpc.system.accountNextIndex(s.address).then((n) => n.toNumber())));
const started = Date.now();
let sent = 0;
await new Promise((resolve) => {
  const tick = async () => {
    if (Date.now() - started >= duration * 1000) return resolve();
    const index = sent % signers.length;
    const signer = signers[index];
    const nonce = nonces[index]++;
    sent++;
    const input = u8aToHex(new TextEncoder().encode(`load job ${sent}: the quick brown fox number ${sent}`));
    const deadline = (await api.rpc.chain.getHeader()).number.toNumber() + 100;
    const submittedAt = Date.now();
    pending++;
    let seen = false;
    api.tx.inference
      .submitJob(model, { Inline: input }, verification, fee, deadline)
      .signAndSend(signer, { nonce }, ({ status, events, dispatchError }) => {
        // A dev node may report Finalized without InBlock first.
        if (seen || !(status.isInBlock || status.isFinalized)) return;
        seen = true;
        pending--;
        if (dispatchError) {
          failures.push(`submission ${sent} failed: ${dispatchError.toString()}`);
          return;
        }
        const ev = events.find(({ event }) => api.events.inference.JobSubmitted.is(event));
        if (ev) jobs.set(ev.event.data.job.toNumber(), { submittedAt, fee: ev.event.data.fee.toBigInt(), submitter: signer.address });
      })
      .catch((err) => {
        pending--;
        failures.push(`submission rejected: ${err.message}`);
      });
    setTimeout(tick, 1000 / rate);
  };
  tick();
});

// Wait for every job to settle.
const settleUntil = Date.now() + Number(values.settle) * 1000;
while ((pending > 0 || [...jobs.values()].some((j) => !j.settledAt)) && Date.now() < settleUntil) {
  await new Promise((r) => setTimeout(r, 1000));
}
// Let the last settlement's block be read before the final balances.
await new Promise((r) => setTimeout(r, 4000));
unsubscribe();

const all = [...jobs.entries()];
const open = all.filter(([, j]) => !j.settledAt).map(([id]) => id);
const completed = all.filter(([, j]) => j.outcome === 'completed');
const failed = all.filter(([, j]) => j.outcome?.startsWith('failed'));
for (const [id, j] of all) {
  if (j.settledAt && j.split !== j.fee) failures.push(`job ${id}: ${j.split} accounted of a ${j.fee} fee`);
}
if (open.length) failures.push(`jobs never settled: ${open.join(', ')}`);
if (all.length !== sent) failures.push(`${sent} submitted but ${all.length} jobs seen on chain`);
const escrowAfter = await escrowOnHold();
if (escrowAfter !== escrowBefore) failures.push(`job escrow on hold went from ${escrowBefore} to ${escrowAfter}`);
const issuanceAfter = (await api.query.balances.totalIssuance()).toBigInt();
if (issuanceAfter !== issuanceBefore) failures.push(`total issuance changed: ${issuanceBefore} -> ${issuanceAfter}`);

const latencies = all.filter(([, j]) => j.settledAt).map(([, j]) => (j.settledAt - j.submittedAt) / 1000).sort((a, b) => a - b);
const first = Math.min(...all.map(([, j]) => j.submittedAt));
const last = Math.max(...all.filter(([, j]) => j.settledAt).map(([, j]) => j.settledAt));
const report = {
  rate,
  duration,
  submitted: sent,
  completed: completed.length,
  failed: failed.length,
  open: open.length,
  throughputJobsPerSecond: completed.length / ((last - first) / 1000),
  latencySeconds: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), p99: quantile(latencies, 0.99), max: latencies.at(-1) },
  feePerJob: fee.toString(),
  feesAccounted: failures.every((f) => !f.includes('accounted')),
  totalIssuanceConserved: issuanceAfter === issuanceBefore,
  failures,
};
console.log(JSON.stringify(report, null, 2));
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
await api.disconnect();
process.exit(failures.length ? 1 : 0);
