/**
 * Governance helpers of the end-to-end tests: proposing, voting, closing and
 * waiting for enactment on a fast-runtime chain (3-second blocks), each step
 * checked against the chain's events and runtime API.
 */

import assert from 'node:assert/strict';

import { u8aToHex, u8aToString } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

import { DEAI, findEvent, hashOf, headerOf, signAndWait, waitForBlock } from './chain.js';

/** The node seals a block every 3 s (`--dev-block-time 3000`). */
export const BLOCK_TIME_MS = 3_000;

/** Each voter votes with this much by default: more than one vote's turnout cap (2 % of ~12 M DEAI). */
export const VOTE = 300_000n * DEAI;

/** The amount `address` has on hold for governance (proposal deposits) at `blockHash`. */
export async function governanceHold(api, blockHash, address) {
  const holds = await (await api.at(blockHash)).query.balances.holds(address);
  return holds
    .filter((h) => h.id.isGovernance)
    .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
}

/** Proposal `index` from the runtime API at `blockHash`; it must exist. */
export async function proposalAt(api, blockHash, index) {
  const details = await (await api.at(blockHash)).call.governanceApi.proposal(index);
  assert.ok(details.isSome, `governanceApi.proposal(${index}) exists`);
  return details.unwrap();
}

/** The indexes of the live proposals at `blockHash`. */
export async function openProposalIndexes(api, blockHash) {
  const open = await (await api.at(blockHash)).call.governanceApi.openProposals();
  return open.map((p) => p.index.toNumber());
}

/** Wait until the best block is at least `block`, with a timeout that fits the distance. */
export async function waitUntilBlock(api, block) {
  const now = (await api.rpc.chain.getHeader()).number.toNumber();
  const blocks = Math.max(block - now, 0);
  return waitForBlock(api, { atLeast: block, timeoutMs: 60_000 + 2 * blocks * BLOCK_TIME_MS });
}

/**
 * The weight `call` declares, which `governance.enact` must be given at least
 * (it checks the stored call's `call_weight` against it), from the
 * transaction-payment runtime API.
 */
export async function callWeight(api, call) {
  const { weight } = await api.call.transactionPaymentCallApi.queryCallInfo(call.method, call.method.encodedLength);
  return { refTime: weight.refTime.toBigInt(), proofSize: weight.proofSize.toBigInt() };
}

/**
 * Propose `call` on `track`, check the `Proposed` event, the held deposit and
 * the runtime API's view of the new proposal.
 *
 * @returns {Promise<{ index: number, votingEnds: number, deposit: bigint, quorum: bigint }>}
 */
export async function propose(api, proposer, track, call, title) {
  const proposed = await signAndWait(api, api.tx.governance.propose(track, call, title, hashOf(title)), proposer);
  const event = findEvent(proposed.events, api.events.governance.Proposed);
  assert.ok(event, 'governance.Proposed emitted');
  const index = event.data.index.toNumber();
  const votingEnds = event.data.votingEnds.toNumber();
  const deposit = event.data.deposit.toBigInt();
  assert.equal(event.data.proposer.toString(), proposer.address);
  assert.ok(event.data.track[`is${track}`], `proposed on the ${track} track`);
  assert.equal(await governanceHold(api, proposed.blockHash, proposer.address), deposit, 'the deposit is held');

  const details = await proposalAt(api, proposed.blockHash, index);
  assert.equal(u8aToString(details.title), title);
  assert.equal(details.callHash.toHex(), u8aToHex(blake2AsU8a(call.method.toU8a(), 256)), 'the call is stored as given');
  assert.equal(details.votingEnds.toNumber(), votingEnds);
  assert.ok(details.status.isOngoing);
  assert.equal(details.status.asOngoing.tally.voters.toNumber(), 0);
  assert.equal(details.passing.isTrue, false, 'nobody voted yet');
  assert.ok((await openProposalIndexes(api, proposed.blockHash)).includes(index));
  return { index, votingEnds, deposit, quorum: details.quorum.toBigInt() };
}

/**
 * How many accounts voting `VOTE` each it takes to reach `quorum`: each vote
 * adds at most `MaxTurnoutPerVoter` of the total issuance to the turnout.
 *
 * @returns {Promise<{ needed: number, perVote: bigint }>}
 */
export async function votersNeeded(api, quorum, vote = VOTE) {
  const issuance = (await api.query.balances.totalIssuance()).toBigInt();
  const capParts = api.consts.governance.maxTurnoutPerVoter.toBigInt(); // Perbill parts
  const cap = (issuance * capParts) / 1_000_000_000n;
  const perVote = vote < cap ? vote : cap;
  const needed = Number((quorum + perVote - 1n) / perVote);
  assert.ok(needed >= 2, `one account must never reach a quorum alone (quorum ${quorum}, cap ${cap})`);
  return { needed, perVote };
}

/**
 * Every voter in `voters` (`[pair, conviction]`) votes aye with `VOTE`, at
 * once; resolves to a block hash whose state has all the votes.
 */
export async function voteAye(api, index, voters, vote = VOTE) {
  const results = await Promise.all(
    voters.map(([who, conviction]) =>
      signAndWait(api, api.tx.governance.vote(index, { kind: 'Aye', balance: vote, conviction }), who),
    ),
  );
  for (const [i, result] of results.entries()) {
    const voted = findEvent(result.events, api.events.governance.Voted);
    assert.ok(voted, 'governance.Voted emitted');
    assert.equal(voted.data.who.toString(), voters[i][0].address);
    assert.ok(voted.data.vote.kind.isAye);
  }
  // Every vote is in a block now: the best block's tally has them all.
  return api.rpc.chain.getBlockHash();
}

/** Close `index`, signed by `closer`; it must be approved. Returns the inclusion and `enactAt`. */
export async function closeApproved(api, closer, index) {
  const closed = await signAndWait(api, api.tx.governance.close(index), closer);
  const approved = findEvent(closed.events, api.events.governance.ProposalApproved);
  assert.ok(approved, 'governance.ProposalApproved emitted');
  assert.equal(approved.data.index.toNumber(), index);
  const enactAt = approved.data.enactAt.toNumber();
  const { number } = await headerOf(api, closed.blockHash);
  const details = await proposalAt(api, closed.blockHash, index);
  assert.ok(details.status.isApproved, 'the proposal is approved');
  assert.equal(details.status.asApproved.decidedAt.toNumber(), number);
  assert.equal(details.status.asApproved.enactAt.toNumber(), enactAt);
  return { closed, enactAt, closedAt: number };
}

/**
 * Wait for the chain to enact approved proposal `index`, due at block
 * `enactAt`: the governance pallet's `on_idle` hook enacts due proposals by
 * itself, in the block their enactment delay ends when the block has weight to
 * spare (as these nearly empty blocks do). The call must dispatch
 * successfully. Returns the block's hash and its events.
 */
export async function enactedByTheChain(api, index, enactAt) {
  const header = await waitUntilBlock(api, enactAt);
  // The hook ran in block `enactAt`; look there (and, should a full block have
  // postponed it, in the few blocks after).
  for (let number = enactAt; number <= header.number.toNumber() + 3; number++) {
    if (number > header.number.toNumber()) await waitUntilBlock(api, number);
    const blockHash = await api.rpc.chain.getBlockHash(number);
    const events = await (await api.at(blockHash)).query.system.events();
    const event = events.map(({ event: e }) => e).find((e) => api.events.governance.ProposalEnacted.is(e) && e.data.index.toNumber() === index);
    const failed = events.map(({ event: e }) => e).find((e) => api.events.governance.EnactmentFailed.is(e) && e.data.index.toNumber() === index);
    assert.equal(failed, undefined, `the call dispatched without error (${failed?.data.error.toString()})`);
    if (!event) continue;
    assert.equal(number, enactAt, 'enacted in the block its enactment delay ends');
    const details = await proposalAt(api, blockHash, index);
    assert.ok(details.status.isEnacted, 'the proposal is enacted');
    assert.ok(!(await openProposalIndexes(api, blockHash)).includes(index), 'no longer live');
    return { blockHash, events };
  }
  assert.fail(`proposal ${index} was not enacted by block ${enactAt + 3}`);
}

