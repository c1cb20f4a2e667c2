// The order of test files. Jest runs first the files that took longest in its last run on this machine
// (its cache), so that no worker is left with a long file at the end; a fresh clone (CI) has no such
// timings, and jest then goes by file size, which can leave the 10,000-connection broadcast or the
// example app's synth (validated and audited) for last, on one worker, while the other idles. These
// files, the slowest in `npm run bench`'s test runs, go first when there are no timings; the rest keep
// jest's order.
const Sequencer = require('@jest/test-sequencer').default;

const SLOWEST = [
  'test/runtime/websocket-connections.test.ts',
  'test/app/example-app.test.ts',
  'test/local/websocket.test.ts',
  'test/contracts/typed-client.test.ts',
  'test/scale/scale.test.ts',
  'test/local/cli.test.ts',
  'test/local/conformance.test.ts',
  'test/websocket/serverless-websocket-api.test.ts',
];

class SlowestFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) {
      return sorted;
    }
    const rank = (test) => {
      const index = SLOWEST.findIndex((file) => test.path.endsWith(file));
      return index < 0 ? SLOWEST.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowestFirstSequencer;
