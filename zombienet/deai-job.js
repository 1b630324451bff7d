/**
 * Zombienet js-script: run the DeAI protocol test (deai.test.mjs) against this network.
 *
 *   alice-1: js-script ./deai-job.js with "600" return is 1 within 660 seconds
 *
 * The test is a polkadot-js program built on e2e/lib (ES modules, e2e's polkadot-js) that
 * starts real `deai-worker` processes, so it runs as a child process of its own rather
 * than inside zombienet's. It gets the WebSocket endpoints of the parachain's collators in
 * DEAI_ZOMBIENET_COLLATORS and prints its report to this terminal.
 *
 * Returns 1 when the test exits with 0 (every test passed) and throws otherwise: zombienet
 * does not compare a returned 0 at all, so `return is 0` would pass whatever happened.
 * The child is stopped (SIGTERM, which the test turns into a clean exit that kills its
 * workers) if it is still running after the given number of seconds (default 600).
 */

const { spawn } = require('node:child_process');
const path = require('node:path');

const TEST_FILE = path.join(__dirname, 'deai.test.mjs');
const PARA_ID = '2000';

async function run(_nodeName, networkInfo, args) {
  const para = networkInfo.paras[PARA_ID];
  if (!para) throw new Error(`the network has no parachain ${PARA_ID}`);
  const collators = para.nodes.map((node) => node.wsUri);
  const limitMs = 1000 * (Number(args[0]) || 600);
  console.log(`deai-job.js: node ${path.relative(process.cwd(), TEST_FILE)} against ${collators.join(', ')}`);

  const child = spawn(process.execPath, ['--test-reporter=spec', TEST_FILE], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEAI_ZOMBIENET_COLLATORS: collators.join(',') },
  });
  const timer = setTimeout(() => {
    console.log(`deai-job.js: the test is still running after ${limitMs / 1000} s; stopping it`);
    child.kill('SIGTERM');
  }, limitMs);
  try {
    const code = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
    });
    if (code !== 0) throw new Error(`deai.test.mjs failed (exit code ${code}); its report is above`);
    console.log('deai-job.js: every test passed');
    return 1;
  } finally {
    clearTimeout(timer);
  }
}

module.exports = { run };
