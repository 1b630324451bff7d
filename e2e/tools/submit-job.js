#!/usr/bin/env node
/**
 * Submits an inference job with polkadot-js and waits for it to settle, then prints the
 * result: what a dapp does.
 *
 *   node e2e/tools/submit-job.js --url ws://127.0.0.1:9944 --model 0 --text "hello world"
 *     [--replicas 3] [--threshold 2] [--signer //Alice]
 *
 * Prints the job id, the workers, the settled embedding (decoded from the canonical
 * `Vec<i32>`, scaled back by the model's decimals) and the time from submission to
 * settlement.
 */
import { parseArgs } from 'node:util';

import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { findEvent, signAndWait } from '../lib/chain.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:9944' },
    model: { type: 'string' },
    text: { type: 'string', default: 'hello world' },
    replicas: { type: 'string', default: '3' },
    threshold: { type: 'string', default: '2' },
    signer: { type: 'string', default: '//Alice' },
    timeout: { type: 'string', default: '180' },
  },
});
if (values.model === undefined) {
  console.error('error: --model <id> is required');
  process.exit(2);
}

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(values.url), noInitWarn: true });
try {
  const model = Number(values.model);
  const details = (await api.call.modelRegistryApi.model(model)).unwrapOr(null);
  if (!details) throw new Error(`model ${model} is not registered`);
  const verification = { Quorum: { replicas: Number(values.replicas), threshold: Number(values.threshold) } };
  const fee = (await api.call.inferenceApi.quote(model, verification)).unwrap();
  const deadline = (await api.rpc.chain.getHeader()).number.toNumber() + 100;
  const input = u8aToHex(new TextEncoder().encode(values.text));
  const signer = new Keyring({ type: 'sr25519' }).addFromUri(values.signer);
  const started = Date.now();
  const submitted = await signAndWait(api, api.tx.inference.submitJob(model, { Inline: input }, verification, fee, deadline), signer);
  const job = findEvent(submitted.events, api.events.inference.JobSubmitted).data.job.toNumber();
  console.log(`job ${job} submitted in block ${submitted.blockHash}, fee ${fee.toHuman()}`);
  const settled = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`job ${job} did not settle in ${values.timeout} s`)), Number(values.timeout) * 1000);
    api.rpc.chain.subscribeNewHeads(async () => {
      const status = (await api.call.inferenceApi.jobStatus(job)).unwrapOr(null);
      if (status?.isSettled) {
        clearTimeout(timer);
        resolve(status.asSettled);
      }
    });
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(`outcome: ${settled.outcome.toString()} after ${seconds.toFixed(1)} s`);
  if (settled.output.isSome && details.model.spec.outputSpec.isQuantizedF32) {
    const decimals = details.model.spec.outputSpec.asQuantizedF32.decimals.toNumber();
    const values = api.createType('Vec<i32>', settled.output.unwrap().toU8a(true)).map((v) => v.toNumber() / 10 ** decimals);
    console.log(`embedding (${values.length} values): [${values.slice(0, 8).map((v) => v.toFixed(decimals)).join(', ')}, …]`);
  } else if (settled.output.isSome) {
    console.log(`output: ${settled.output.unwrap().toHex()}`);
  }
} finally {
  await api.disconnect();
}
