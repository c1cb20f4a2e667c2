// Loaded once per jest-light-runner worker (jest.config.js `setupFilesAfterEnv`), after the runner has
// installed its globals. jest-light-runner runs test and hook functions as they are; jest's own runner
// (jest-circus) also
// 1. fails a test or hook that runs past its timeout;
// 2. fails a test whose `expect.assertions(n)` / `expect.hasAssertions()` is not met;
// 3. never runs a test whose setup failed: after a failing `beforeAll` no test of its describe block
//    runs, after a failing `beforeEach` its test does not run, and each such test fails with the hook's
//    error. jest-light-runner reports the failed hook and then runs the tests anyway, which a test can
//    pass without its setup (a passing test) or, worse, act on values the setup never set (a CLI given
//    `--assembly undefined` synthesized the example app into ./undefined);
// 4. gives `done` to a test or hook that declares a parameter and holds the test to the timeout until
//    `done` is called.
// 5. with `-u`, keeps the snapshots of the tests that failed or did not run (`-t`, `.skip`, `.only`) and
//    removes only those no test took. jest-light-runner tells jest-snapshot which tests failed or were
//    skipped by their title alone, without their describe blocks, so `npx jest test/app -u -t dev` or a
//    failing test under `-u` deleted snapshots of tests inside describe blocks.
// 6. gives each file the worker's globals as they were: jest's default runner gave each file its own
//    (console, JSON, setTimeout), so a spy or fake clock a file left behind ended with it. Here the
//    globals are the worker's: spies are restored and real timers put back before each file (a
//    JSON.parse mock left by one file failed the next one at import).
// All six are added back here: no test can pass by hanging, by skipping its assertions or without its
// setup, no snapshot is lost to a partial run and no file sees another's spies.
import { getState } from 'jest-circus';
import { SnapshotState } from 'jest-snapshot';

const DEFAULT_TIMEOUT_MS = 60_000;

/** Describe blocks whose beforeAll failed, with the error. */
const failedBeforeAll = new WeakMap();
/** The error of a beforeEach of the test about to run (jest-light-runner runs them just before it). */
let failedBeforeEach;

function withTimeout(promise, timeout, what) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Exceeded timeout of ${timeout} ms for ${what}.`)), timeout);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** The error of a failed beforeAll of `block` or of a block around it. */
function setupFailureOf(block) {
  for (let b = block; b; b = b.parent) {
    if (failedBeforeAll.has(b)) return { hook: 'beforeAll', error: failedBeforeAll.get(b) };
  }
  return undefined;
}

/** Calls `fn` with `args`, and with a `done` callback as last argument when it declares one more parameter. */
function call(fn, self, args) {
  if (fn.length <= args.length) return fn.apply(self, args);
  return new Promise((resolve, reject) => {
    const done = (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve());
    done.fail = (error) => reject(error instanceof Error ? error : new Error(String(error)));
    fn.call(self, ...args, done);
  });
}

function guard(fn, timeout, what, kind, fromEach = false) {
  if (typeof fn !== 'function') return fn;
  const block = getState().currentDescribeBlock; // registration time: the block the test or hook is in
  const guarded = function (...given) {
    // A row's values from test.each; jest-light-runner itself passes nothing useful (a promise's value).
    const args = fromEach ? given : [];
    if (kind === 'test') {
      const eachFailure = failedBeforeEach;
      failedBeforeEach = undefined;
      const setup = eachFailure ?? setupFailureOf(block);
      if (setup) {
        return Promise.reject(new Error(`Not run: its ${setup.hook} failed: ${setup.error?.message ?? setup.error}`, { cause: setup.error }));
      }
      expect.extractExpectedAssertionsErrors(); // a fresh count for this test
    }
    return withTimeout(Promise.resolve().then(() => call(fn, this, args)), timeout ?? DEFAULT_TIMEOUT_MS, what).then((value) => {
      if (kind === 'test') {
        const [failure] = expect.extractExpectedAssertionsErrors();
        if (failure) throw failure.error;
      }
      return value;
    }, (error) => {
      if (kind === 'beforeAll') failedBeforeAll.set(block, error);
      if (kind === 'beforeEach') failedBeforeEach ??= { hook: 'beforeEach', error };
      throw error;
    });
  };
  // No declared parameter: jest-light-runner (and jest-each) then await the returned promise, which
  // enforces the timeout also for a function that takes `done` (given by `call` above).
  Object.defineProperty(guarded, 'length', { value: 0 });
  return guarded;
}

function guardTest(original) {
  const wrap = (register) => (name, fn, timeout) => register(name, guard(fn, timeout, `test "${name}"`, 'test'), timeout);
  const wrapped = Object.assign(wrap(original), original);
  wrapped.only = Object.assign(wrap(original.only), original.only);
  wrapped.each = (...table) => (name, fn, timeout) => original.each(...table)(name, guard(fn, timeout, `test "${name}"`, 'test', true), timeout);
  wrapped.only.each = (...table) => (name, fn, timeout) => original.only.each(...table)(name, guard(fn, timeout, `test "${name}"`, 'test', true), timeout);
  // jest-light-runner ignores `failing` (it would report a failing test.failing as failed and a passing
  // one as passed) and runs `concurrent` tests one by one: refuse both rather than mean something else.
  for (const unsupported of ['failing', 'concurrent']) {
    wrapped[unsupported] = () => { throw new Error(`test.${unsupported} is not supported by jest-light-runner (see test/support/guards.mjs)`); };
  }
  return wrapped;
}

function guardHook(original, hook) {
  return (fn, timeout) => original(guard(fn, timeout, hook, hook), timeout);
}

// jest-light-runner sets the expect state of a file (its path, its snapshots) before it imports it.
const setState = expect.setState;
expect.setState = function (state) {
  if (state && 'testPath' in state) {
    failedBeforeEach = undefined; // (a test.todo runs no guard that would have taken it)
    jest.restoreAllMocks();
    jest.useRealTimers();
  }
  return setState.call(this, state);
};

const markChecked = SnapshotState.prototype.markSnapshotsAsCheckedForTest;
SnapshotState.prototype.markSnapshotsAsCheckedForTest = function (title) {
  markChecked.call(this, title);
  // A key is the test's full name (describe blocks and title), a ': hint' if any, and a count.
  for (const key of this._uncheckedKeys) {
    const name = key.replace(/ \d+$/, '');
    if (name.endsWith(` ${title}`) || name.includes(` ${title}: `)) this._uncheckedKeys.delete(key);
  }
};

globalThis.test = guardTest(globalThis.test);
globalThis.it = guardTest(globalThis.it);
globalThis.fit = globalThis.test.only;
for (const hook of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach']) {
  globalThis[hook] = guardHook(globalThis[hook], hook);
}
