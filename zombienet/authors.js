/**
 * Zombienet js-script: do all the parachain's collators author blocks?
 *
 *   alice-1: js-script ./authors.js with "240" return is 2 within 300 seconds
 *
 * Reads the parachain's Aura authorities and then, block by block from #1, which of them
 * authored each block (Aura's pre-runtime digest holds the slot; the author is the
 * authority at `slot % authorities`). Returns the number of distinct authors once every
 * authority has authored a block, or, after the given number of seconds (default 240),
 * the number it has seen so far.
 *
 * Zombienet loads this file with `require` inside its own process and hands it the
 * `zombie` global (its polkadot-js), so it is CommonJS and needs nothing else.
 */

/* global zombie */

/** The Aura consensus engine id, b"aura". */
const AURA_ENGINE = '0x61757261';

/** The development keys zombienet gives the collators, to name the authors. */
const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const hex = (u8a) => `0x${Buffer.from(u8a).toString('hex')}`;

/** The Aura slot in a block header's digest, or undefined. */
function auraSlot(header) {
  for (const log of header.digest.logs) {
    if (!log.isPreRuntime) continue;
    const [engine, data] = log.asPreRuntime;
    if (engine.toHex() === AURA_ENGINE) return Buffer.from(data.toU8a(true)).readBigUInt64LE(0);
  }
  return undefined;
}

async function run(nodeName, networkInfo, args) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const waitMs = 1000 * (Number(args[0]) || 240);
  const api = await zombie.connect(wsUri, userDefinedTypes);
  try {
    await zombie.util.cryptoWaitReady();
    const keyring = new zombie.Keyring({ type: 'sr25519' });
    const names = new Map(DEV_NAMES.map((n) => [hex(keyring.addFromUri(`//${n}`).publicKey), n]));
    const authorities = (await api.query.aura.authorities()).map((a) => a.toHex());
    console.log(`authors.js: ${authorities.length} Aura authorities: ${authorities.map((a) => names.get(a) ?? a).join(', ')}`);

    const blocks = new Map(); // author -> block numbers
    const deadline = Date.now() + waitMs;
    let next = 1;
    while (blocks.size < authorities.length && Date.now() < deadline) {
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      for (; next <= best; next++) {
        const header = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(next));
        const slot = auraSlot(header);
        if (slot === undefined) throw new Error(`block #${next} has no Aura pre-runtime digest`);
        const author = authorities[Number(slot % BigInt(authorities.length))];
        if (!blocks.has(author)) blocks.set(author, []);
        blocks.get(author).push(next);
      }
      if (blocks.size < authorities.length) await sleep(3000);
    }
    for (const [author, numbers] of blocks) {
      console.log(`authors.js: ${names.get(author) ?? author} authored ${numbers.length} of blocks #1..#${next - 1}`);
    }
    return blocks.size;
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
