/**
 * What the inference tests share: the chain's hashing, commitment and
 * attestation encodings rebuilt in JS, a Perbill multiply, the pallet
 * accounts, fee and hold readers, and `expectError`, which submits a call
 * that must fail with a named pallet error and pay its fee.
 */

import assert from 'node:assert/strict';

import { stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, encodeAddress } from '@polkadot/util-crypto';

import { describeDispatchError, eventsAt, findEvent } from './chain.js';

/** One whole Perbill, in parts. */
export const PERBILL = 1_000_000_000n;

/** `floor(amount * parts / 10^9)`: `Perbill::mul_floor`. */
export const mulFloor = (parts, amount) => (BigInt(parts.toString()) * amount) / PERBILL;

/**
 * `content_hash` of deai-primitives: the blake2-256 hash of canonical output
 * (or input) bytes. With `OutputSpec::Exact` the canonical bytes are the
 * output bytes as they are (not their SCALE encoding).
 */
export const contentHash = (bytes) => blake2AsU8a(bytes, 256);

/**
 * An inline `Payload` of `bytes`. Given as hex: polkadot-js reads a bare
 * `Uint8Array` for a `Vec<u8>` as already SCALE-encoded (length first).
 */
export const inline = (bytes) => ({ Inline: u8aToHex(bytes) });

/**
 * What a worker reveals for an input nobody can answer (`UNANSWERABLE_OUTPUT`
 * of deai-primitives): the quorum agrees on it like on any output.
 */
export const UNANSWERABLE_OUTPUT = stringToU8a('deai:unanswerable-input:v1');

const min = (a, b) => (a < b ? a : b);

/**
 * What a slash of compute staking takes (its `slash_plan`): `fraction` of the
 * stake that backed the job (`backing`, at most what is left), out of the
 * worker's own stake (`ownTotal`, bonded and unbonding) first and its
 * delegators' (`poolTotal`) next; on top of the penalty, a payee's `cost` out
 * of what own stake is left. The payee is owed the cost and `share` of the own
 * part of the penalty, never more than the worker's own slashed stake.
 *
 * @returns {{ penalty: bigint, penaltyOwn: bigint, fromWorker: bigint, fromDelegators: bigint, toPayee: bigint }}
 */
export function slashPlan({ ownTotal, poolTotal, fraction, backing, cost = 0n, share = 0 }) {
  const penalty = mulFloor(fraction, min(backing, ownTotal + poolTotal));
  const penaltyOwn = min(penalty, ownTotal);
  const fromDelegators = min(penalty - penaltyOwn, poolTotal);
  const fromWorker = penaltyOwn + min(cost, ownTotal - penaltyOwn);
  const toPayee = min(cost + mulFloor(share, penaltyOwn), fromWorker);
  return { penalty, penaltyOwn, fromWorker, fromDelegators, toPayee };
}

/** The domain separator an attestation signature covers before the SCALE bytes. */
export const ATTESTATION_CONTEXT = stringToU8a('deai:attested-result:v2:');

/** The account of a `PalletId`: `"modl" ++ id`, padded with zeros to 32 bytes. */
export const palletAccount = (id) => encodeAddress(u8aConcat(stringToU8a('modl'), stringToU8a(id), new Uint8Array(20)), 42);

/** Every event `check` among `events`. */
export const findEvents = (events, check) => events.map(({ event }) => event).filter((e) => check.is(e));

/**
 * The fee `address` paid in `events`: the `TransactionFeePaid` amount, zero
 * if there is none (a free call may still emit it, with zero).
 */
export function feeOf(api, events, address) {
  const paid = findEvent(events, api.events.transactionPayment.TransactionFeePaid);
  if (!paid) return 0n;
  assert.equal(paid.data.who.toString(), address);
  return paid.data.actualFee.toBigInt();
}

/** The amounts `address` has on hold for the inference pallet at `blockHash`, by reason. */
export async function inferenceHolds(api, blockHash, address) {
  const holds = await (await api.at(blockHash)).query.balances.holds(address);
  const sums = { escrow: 0n, deposit: 0n };
  for (const h of holds.filter((hold) => hold.id.isInference)) {
    const reason = h.id.asInference;
    if (reason.isJobEscrow) sums.escrow += h.amount.toBigInt();
    if (reason.isJobDeposit) sums.deposit += h.amount.toBigInt();
  }
  return sums;
}

/**
 * What the collator pot (`deai/pot`) paid `address` as block author in blocks
 * #`from` to #`to`: on the dev chain Alice authors every block and receives
 * half of the pot (the transaction fees) in each block's initialization.
 */
export async function authorRewards(api, from, to, address) {
  const pot = palletAccount('deai/pot');
  let total = 0n;
  for (let n = from; n <= to; n++) {
    const blockHash = await api.rpc.chain.getBlockHash(n);
    for (const e of await eventsAt(api, blockHash)) {
      if (api.events.balances.Transfer.is(e) && e.data.from.toString() === pot && e.data.to.toString() === address) {
        total += e.data.amount.toBigInt();
      }
    }
  }
  return total;
}

/**
 * Sign and submit `tx`, which must fail with the module error `expected`
 * (e.g. `inference.NotAssigned`); resolves, once it is in a block, to its
 * block hash, its events and the fee the signer paid for the failed call.
 */
export function expectError(api, tx, signer, expected, { timeoutMs = 60_000 } = {}) {
  const included = new Promise((resolve, reject) => {
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
      () => finish(new Error(`${expected}: transaction not in a block after ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(new Error(`${expected}: transaction ${status.type}`));
        return;
      }
      if (!status.isInBlock && !status.isFinalized) return;
      const blockHash = status.isInBlock ? status.asInBlock : status.asFinalized;
      finish(null, { blockHash, events, dispatchError });
    })
      .then((u) => {
        unsub = u;
        if (done) u();
      })
      .catch((err) => finish(err));
  });
  return included.then(({ blockHash, events, dispatchError }) => {
    assert.ok(dispatchError, `expected ${expected}, but the call succeeded`);
    const described = describeDispatchError(api, dispatchError);
    assert.ok(described.startsWith(`${expected}:`), `expected ${expected}, got ${described}`);
    const fee = feeOf(api, events, signer.address);
    assert.ok(fee > 0n, `a failing call (${expected}) pays its fee`);
    return { blockHash, events, fee };
  });
}

/** SCALE of `(job_id, worker, output_hash, salt)`, hashed: `deai_primitives::inference::commitment`. */
export function commitmentOf(api, job, worker, outputHash, salt) {
  const encoded = api.createType('(u64, AccountId32, [u8; 32], [u8; 32])', [job, worker, outputHash, salt]).toU8a();
  return blake2AsU8a(encoded, 256);
}

/**
 * SCALE of `AttestedResult { genesis_hash, job_id, model_hash, input_hash, output_hash,
 * worker }` (a struct encodes as the tuple of its fields); the chain is this node's unless
 * `genesis` names another.
 */
export function attestedResult(api, { genesis, job, modelHash, inputHash, outputHash, worker }) {
  return api
    .createType('([u8; 32], u64, [u8; 32], [u8; 32], [u8; 32], AccountId32)', [
      genesis ?? api.genesisHash.toU8a(),
      job,
      modelHash,
      inputHash,
      outputHash,
      worker,
    ])
    .toU8a();
}

/** What an attestation key signs: `ATTESTATION_CONTEXT ++ SCALE(AttestedResult)`. */
export const signingPayload = (api, result) => u8aConcat(ATTESTATION_CONTEXT, attestedResult(api, result));

