/**
 * Checks the zombienet files without running anything: every *.zndsl parses with
 * zombienet's own DSL parser and names only nodes of its network, the network config
 * renders (the double-brace placeholders filled from the environment) and zombienet turns
 * it into a network spec, and the JavaScript files are valid.
 *
 *   node zombienet/check.js      (npm run check, in zombienet/)
 *
 * DEAI_NODE and DEAI_RELAY_BIN default to placeholders here: nothing is started.
 */

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const parser = require('@zombienet/dsl-parser-wrapper');
const { readNetworkConfig } = require('@zombienet/utils');
const { generateNetworkSpec } = require('@zombienet/orchestrator/dist/configGenerator');

process.env.DEAI_NODE ??= '/path/to/deai-node';
process.env.DEAI_RELAY_BIN ??= '/path/to/relay/bin';

async function main() {
  let failures = 0;
  const fail = (message) => {
    failures += 1;
    console.error(`✖ ${message}`);
  };

  for (const file of fs.readdirSync(__dirname).filter((f) => /\.(c?js|mjs)$/.test(f))) {
    try {
      execFileSync(process.execPath, ['--check', path.join(__dirname, file)], { stdio: 'pipe' });
    } catch (err) {
      fail(`${file}: ${err.stderr}`);
    }
  }

  for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith('.zndsl'))) {
    let def;
    try {
      def = JSON.parse(parser.parse_to_json(fs.readFileSync(path.join(__dirname, file), 'utf8')));
    } catch (err) {
      fail(`${file}: does not parse: ${err}`);
      continue;
    }
    const network = path.resolve(__dirname, def.network);
    let spec;
    try {
      spec = await generateNetworkSpec(readNetworkConfig(network));
    } catch (err) {
      fail(`${file}: its network ${def.network} is invalid: ${err.message ?? err}`);
      continue;
    }
    const nodes = new Set([...spec.relaychain.nodes.map((n) => n.name), ...spec.parachains.flatMap((p) => p.collators.map((c) => c.name))]);
    for (const { original_line: line, parsed } of def.assertions) {
      const node = parsed.args.node_name;
      if (!nodes.has(node)) fail(`${file}: "${line}" names node ${node}; the network has ${[...nodes].join(', ')}`);
      if (parsed.fn === 'CustomJs' || parsed.fn === 'CustomSh') {
        if (!fs.existsSync(path.resolve(__dirname, parsed.args.file_path))) fail(`${file}: "${line}": no ${parsed.args.file_path}`);
      }
      // Zombienet compares a script's return value only when the target is not 0.
      if (parsed.fn === 'CustomJs' && parsed.args.target_value === 0) fail(`${file}: "${line}": "return is 0" is never checked`);
    }
    console.log(`✔ ${file}: ${def.assertions.length} assertions on ${def.network} (${[...nodes].join(', ')})`);
  }
  if (failures) {
    console.error(`${failures} problem(s)`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
