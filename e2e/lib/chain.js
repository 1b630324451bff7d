/**
 * Small helpers for talking to a DeAI node in the end-to-end tests: units,
 * timeouts, waiting for blocks and submitting extrinsics.
 */

import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

/** Decimals of the DEAI token. */
export const DEAI_DECIMALS = 12;

/** One DEAI in planck (the smallest unit). */
export const DEAI = 10n ** BigInt(DEAI_DECIMALS);

/**
 * Settle with `promise`, or reject with a clear message after `ms`.
 *
 * @template T
 * @param {Promise<T>} promise what to wait for
 * @param {number} ms timeout in milliseconds
 * @param {string} what description used in the timeout message
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Wait until a new best head (or finalized head) has a number of at least
 * `atLeast`.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected api
 * @param {object} options
 * @param {number} options.atLeast block number to reach
 * @param {boolean} [options.finalized=false] follow finalized heads instead of best heads
 * @param {number} [options.timeoutMs=60000] how long to wait
 * @returns {Promise<import('@polkadot/types/interfaces').Header>} the first header that reached it
 */
export async function waitForBlock(api, { atLeast, finalized = false, timeoutMs = 60_000 }) {
  const kind = finalized ? 'finalized' : 'best';
  const method = finalized ? 'subscribeFinalizedHeads' : 'subscribeNewHeads';
  let onHeader;
  const reached = new Promise((resolve) => {
    onHeader = (header) => {
      if (header.number.toNumber() >= atLeast) resolve(header);
    };
  });
  const subscription = api.rpc.chain[method]((header) => onHeader(header));
  try {
    return await withTimeout(
      Promise.race([reached, subscription.then(() => reached)]),
      timeoutMs,
      `a ${kind} block >= #${atLeast}`,
    );
  } finally {
    subscription.then((unsub) => unsub()).catch(() => {});
  }
}

/** The events of block `blockHash`. */
export async function eventsAt(api, blockHash) {
  return (await (await api.at(blockHash)).query.system.events()).map(({ event }) => event);
}

/**
 * The first block, from #`from` on (or after #`after`), with an event `check`
 * that `match` accepts; blocks are read one by one by number, none skipped.
 *
 * @returns {Promise<{ event, number: number, hash, blockHash }>} the event and its block
 */
export async function waitForEvent(api, check, match, { from, after, timeoutMs = 120_000, what }) {
  const first = from ?? after + 1;
  const search = async () => {
    for (let next = first; ; ) {
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      for (; next <= best; next++) {
        const hash = await api.rpc.chain.getBlockHash(next);
        const event = (await eventsAt(api, hash)).find((e) => check.is(e) && match(e));
        if (event) return { event, number: next, hash, blockHash: hash };
      }
      await waitForBlock(api, { atLeast: best + 1, timeoutMs });
    }
  };
  return withTimeout(search(), timeoutMs, what ?? `event ${check.meta.name} from #${first}`);
}

/**
 * The events `check` of blocks #`from` to #`to` (both included) that `match`
 * accepts, oldest first.
 */
export async function eventsBetween(api, check, match, from, to) {
  const found = [];
  for (let n = from; n <= to; n++) {
    for (const e of await eventsAt(api, await api.rpc.chain.getBlockHash(n))) {
      if (check.is(e) && match(e)) found.push(e);
    }
  }
  return found;
}

/**
 * What `address` paid in transaction fees in blocks #`from` to #`to`: the sum
 * of its `TransactionFeePaid` amounts (tips included; zero for free calls).
 */
export async function feesPaid(api, address, from, to) {
  const paid = await eventsBetween(
    api,
    api.events.transactionPayment.TransactionFeePaid,
    (e) => e.data.who.toString() === address,
    from,
    to,
  );
  return paid.reduce((sum, e) => sum + e.data.actualFee.toBigInt(), 0n);
}

/**
 * Human-readable text for a `DispatchError`, using the runtime metadata for
 * module errors (e.g. `balances.InsufficientBalance: <docs>`).
 *
 * @param {import('@polkadot/api').ApiPromise} api connected api
 * @param {import('@polkadot/types/interfaces').DispatchError} dispatchError the error
 * @returns {string}
 */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}: ${docs.join(' ')}`;
  }
  return dispatchError.toString();
}

/**
 * @typedef {object} Inclusion
 * @property {import('@polkadot/types/interfaces').Hash} blockHash block the extrinsic is in
 * @property {import('@polkadot/types/interfaces').Hash} txHash hash of the extrinsic
 * @property {import('@polkadot/types/interfaces').EventRecord[]} events events of the extrinsic
 */

/**
 * Sign and submit `tx`, and resolve once it is in a block (or finalized).
 * Rejects if the pool or the RPC rejects it, if it is dropped, invalid or
 * usurped, if it fails to dispatch, or after `timeoutMs`.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected api
 * @param {import('@polkadot/api/types').SubmittableExtrinsic<'promise'>} tx the extrinsic
 * @param {import('@polkadot/keyring/types').KeyringPair} signer who signs and pays
 * @param {object} [options]
 * @param {'inBlock' | 'finalized'} [options.until='inBlock'] which status to wait for
 * @param {number} [options.timeoutMs=60000] how long to wait
 * @returns {Promise<Inclusion>}
 */
export function signAndWait(api, tx, signer, { until = 'inBlock', timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    let unsub;
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsub?.();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(
      () => finish(new Error(`transaction not ${until} after ${timeoutMs / 1000} s`)),
      timeoutMs,
    );

    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError, txHash } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(new Error(`transaction ${status.type}`));
        return;
      }
      const reached = until === 'finalized' ? status.isFinalized : status.isInBlock || status.isFinalized;
      if (!reached) return;
      if (dispatchError) {
        finish(new Error(`transaction failed: ${describeDispatchError(api, dispatchError)}`));
        return;
      }
      const blockHash = status.isInBlock ? status.asInBlock : status.asFinalized;
      finish(null, { blockHash, txHash, events });
    })
      .then((u) => {
        unsub = u;
        if (done) u();
      })
      .catch((err) => finish(err));
  });
}

/** A `Perbill` of `p` percent, in parts per billion. */
export const percent = (p) => p * 10_000_000;

/**
 * The two arguments of `modelRegistry.register` and `publishVersion` (what a model is, and
 * the terms its owner may change later) from one flat description of the model.
 */
export function modelArgs({ uris, price, royalty, ...spec }) {
  return [spec, { uris, price, royalty }];
}

/** blake2-256 of the UTF-8 bytes of `text`, as hex. */
export const hashOf = (text) => u8aToHex(blake2AsU8a(new TextEncoder().encode(text), 256));

/** The first event among `events` (event records) that `check` (e.g. `api.events.x.Y`) matches, or undefined. */
export const findEvent = (events, check) => events.map(({ event }) => event).find((e) => check.is(e));

/** Free balance of `address` in the state of block `blockHash`. */
export async function freeAt(api, blockHash, address) {
  return (await (await api.at(blockHash)).query.system.account(address)).data.free.toBigInt();
}

/** The number and parent hash of block `blockHash`. */
export async function headerOf(api, blockHash) {
  const header = await api.rpc.chain.getHeader(blockHash);
  return { number: header.number.toNumber(), parentHash: header.parentHash };
}

/**
 * Every top-level storage key and value of the chain at `blockHash` (`:code`
 * included), read 1,000 keys at a time: a state snapshot for the try-runtime
 * checks (`deai-runtime-fuzz try-runtime`). Raw JSON-RPC through the api's
 * provider (`_rpcCore.provider`): the typed wrappers would decode values as
 * storage items, and these are arbitrary keys.
 *
 * @returns {Promise<Array<[string, string]>>} hex key/value pairs, in key order
 */
export async function stateSnapshot(api, blockHash) {
  const at = blockHash.toHex ? blockHash.toHex() : blockHash;
  const pairs = [];
  for (let start = null; ; ) {
    const keys = await api._rpcCore.provider.send('state_getKeysPaged', ['0x', 1000, start, at]);
    if (keys.length === 0) break;
    const [set] = await api._rpcCore.provider.send('state_queryStorageAt', [keys, at]);
    for (const [key, value] of set.changes) if (value !== null) pairs.push([key, value]);
    start = keys[keys.length - 1];
    if (keys.length < 1000) break;
  }
  return pairs;
}
