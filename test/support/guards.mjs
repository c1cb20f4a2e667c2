// Loaded once per jest-light-runner worker (jest.config.js `setupFilesAfterEnv`), after the runner has
// installed its globals. jest-light-runner runs test and hook functions as they are; jest's own runner
// also (1) fails a test or hook that runs past its timeout and (2) fails a test whose `expect.assertions(n)`
// / `expect.hasAssertions()` is not met. Both are added back here, so no test can pass by hanging or by
// skipping its assertions.
const DEFAULT_TIMEOUT_MS = 60_000;

function withTimeout(promise, timeout, what) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Exceeded timeout of ${timeout} ms for ${what}.`)), timeout);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function guard(fn, timeout, what, checkAssertions) {
  if (typeof fn !== 'function') return fn;
  const guarded = function (...args) {
    if (checkAssertions) expect.extractExpectedAssertionsErrors(); // a fresh count for this test
    return withTimeout(Promise.resolve().then(() => fn.apply(this, args)), timeout ?? DEFAULT_TIMEOUT_MS, what).then((value) => {
      if (checkAssertions) {
        const [failure] = expect.extractExpectedAssertionsErrors();
        if (failure) throw failure.error;
      }
      return value;
    });
  };
  // jest-light-runner passes a `done` callback to functions that declare a parameter: keep the arity.
  Object.defineProperty(guarded, 'length', { value: fn.length });
  return guarded;
}

function guardTest(original) {
  const wrap = (register) => (name, fn, timeout) => register(name, guard(fn, timeout, `test "${name}"`, true), timeout);
  const wrapped = Object.assign(wrap(original), original);
  wrapped.only = Object.assign(wrap(original.only), original.only);
  wrapped.each = (...table) => (name, fn, timeout) => original.each(...table)(name, guard(fn, timeout, `test "${name}"`, true), timeout);
  wrapped.only.each = (...table) => (name, fn, timeout) => original.only.each(...table)(name, guard(fn, timeout, `test "${name}"`, true), timeout);
  return wrapped;
}

function guardHook(original, hook) {
  return (fn, timeout) => original(guard(fn, timeout, hook, false), timeout);
}

globalThis.test = guardTest(globalThis.test);
globalThis.it = guardTest(globalThis.it);
globalThis.fit = globalThis.test.only;
for (const hook of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach']) {
  globalThis[hook] = guardHook(globalThis[hook], hook);
}
