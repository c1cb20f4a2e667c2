/** The test-file order (test/support/sequencer.cjs): slowest first on a fresh clone, jest's order otherwise. */
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module jest.config.js names
const Sequencer = require('./sequencer.cjs') as new (options: object) => { sort(tests: FakeTest[]): FakeTest[] };

interface FakeTest { path: string; duration?: number; context: { config: { cache: boolean }; hasteFS: { getSize(file: string): number } } }

const ROOT = path.resolve(__dirname, '..', '..');
/** Tests with the given file sizes; no jest timing cache (a fresh clone). */
function tests(sizes: Record<string, number>): FakeTest[] {
  const context = { config: { cache: false }, hasteFS: { getSize: (file: string) => sizes[path.relative(ROOT, file)] ?? 0 } };
  return Object.keys(sizes).map(file => ({ path: path.join(ROOT, file), context }));
}
const order = (sorted: FakeTest[]): string[] => sorted.map(t => path.relative(ROOT, t.path));

test('GIVEN no timings THEN the listed slowest files come first, in their listed order, then the rest by size', () => {
  const sorted = new Sequencer({}).sort(tests({
    'test/big.test.ts': 90_000,
    'test/app/example-app.test.ts': 10,
    'test/small.test.ts': 100,
    'test/runtime/websocket-connections.test.ts': 20,
  }));
  expect(order(sorted)).toEqual([
    'test/runtime/websocket-connections.test.ts', 'test/app/example-app.test.ts', 'test/big.test.ts', 'test/small.test.ts',
  ]);
});

test('GIVEN timings from an earlier run THEN jest\'s own order (longest first) is kept', () => {
  const timed = tests({ 'test/app/example-app.test.ts': 10, 'test/a.test.ts': 10 });
  const sequencer = new Sequencer({}) as unknown as { sort(t: FakeTest[]): FakeTest[]; time(t: FakeTest): number | undefined };
  sequencer.time = (t: FakeTest) => (t.path.endsWith('a.test.ts') ? 9_000 : 1);
  expect(order(sequencer.sort(timed))).toEqual(['test/a.test.ts', 'test/app/example-app.test.ts']);
});

test('every file the sequencer lists as slowest exists (the list does not rot)', () => {
  const source = fs.readFileSync(path.join(__dirname, 'sequencer.cjs'), 'utf8');
  const listed = [...source.matchAll(/'((?:test|examples)\/[^']+\.test\.ts)'/g)].map(m => m[1]);
  expect(listed.length).toBeGreaterThan(3);
  expect(listed.filter(file => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
});
