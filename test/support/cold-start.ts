import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
/** Code that reads its environment when it loads, as a Lambda handler does at cold start. */
const LOADS_ITS_ENVIRONMENT = [path.join(ROOT, 'lib', 'runtime') + path.sep, path.join(ROOT, 'bin', 'handlers') + path.sep];

/** Options of {@link coldStart}. */
export interface ColdStartOptions {
  /**
   * Modules (absolute paths) to load first with plain, writable exports, so a test can `jest.spyOn` a
   * function the handlers call (the transpiled modules export read-only getters). The test gets that
   * copy with `require(samePath)` after the cold start.
   */
  readonly spyable?: string[];
}

/**
 * Loads handler modules as a Lambda cold start would: they and the runtime code they use are evaluated
 * anew, so they read the environment as it is now (a table name, the endpoint of a test's dynalite).
 * Test files share one module cache per worker (jest-light-runner), so a plain `import` would hand back
 * the copies another file loaded under its own environment. Modules given together share one load, as
 * the handlers of one function bundle share their clients and configuration.
 *
 * @param modulePaths absolute paths, e.g. `require.resolve('../../lib/runtime/crud/get')`
 */
export function coldStart(modulePaths: string[], options: ColdStartOptions = {}): unknown[] {
  for (const loaded of Object.keys(require.cache)) {
    if (LOADS_ITS_ENVIRONMENT.some((dir) => loaded.startsWith(dir))) {
      delete require.cache[loaded];
    }
  }
  for (const modulePath of options.spyable ?? []) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated anew on purpose (see above)
    const exports = { ...(require(modulePath) as object) };
    Object.defineProperty(exports, '__esModule', { value: true });
    require.cache[modulePath]!.exports = exports;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated anew on purpose (see above)
  return modulePaths.map((modulePath) => require(modulePath) as unknown);
}
