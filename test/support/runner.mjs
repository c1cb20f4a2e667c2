// The test runner: jest-light-runner's worker (each test file runs in a worker thread with Node's own
// module loader, so aws-cdk-lib and the library load once per worker, not once per file), scheduled here
// rather than by jest-light-runner's own pool for one reason: its pool never replaces a worker, and a
// worker's heap keeps what it has loaded and what CDK keeps process-wide (its token map holds every
// token created, and each token its construct tree). Like jest's `workerIdleMemoryLimit`, a worker
// whose heap is above WORKER_HEAP_LIMIT_MB (350) after a test file is replaced by a fresh one, which bounds
// the suite's memory. With one worker (`-i`, `-w 1`) jest-light-runner runs the files in this process.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import LightRunner from 'jest-light-runner';

const WORKER_HEAP_LIMIT_MB = Number(process.env.TEST_WORKER_HEAP_LIMIT_MB ?? 350);

const lightRunnerEntry = createRequire(import.meta.url).resolve('jest-light-runner');
const WORKER = new URL('./worker-runner.js', pathToFileURL(lightRunnerEntry));
const { default: Tinypool } = await import(pathToFileURL(createRequire(lightRunnerEntry).resolve('tinypool')).href);

export default class RecyclingLightRunner {
  #globalConfig;
  #inProcess;

  constructor(globalConfig, context) {
    this.#globalConfig = globalConfig;
    this.#inProcess = globalConfig.maxWorkers === 1 ? new LightRunner(globalConfig, context) : undefined;
  }

  async runTests(tests, watcher, onStart, onResult, onFailure) {
    if (this.#inProcess) {
      return this.#inProcess.runTests(tests, watcher, onStart, onResult, onFailure);
    }
    const globalConfig = this.#globalConfig;
    const { maxWorkers } = globalConfig;
    const pools = new Map();
    const poolFor = (projectConfig) => {
      if (!pools.has(projectConfig)) {
        pools.set(projectConfig, new Tinypool({
          filename: WORKER.href,
          runtime: 'worker_threads',
          minThreads: maxWorkers,
          maxThreads: maxWorkers,
          env: process.env,
          trackUnmanagedFds: false,
          workerData: { globalConfig, projectConfig, runtime: 'worker_threads' },
          maxMemoryLimitBeforeRecycle: WORKER_HEAP_LIMIT_MB * 1024 * 1024,
        }));
      }
      return pools.get(projectConfig);
    };

    // At most maxWorkers files started at a time, so jest reports as running only the files that run.
    const queue = [...tests];
    const lane = async () => {
      for (let test = queue.shift(); test; test = queue.shift()) {
        await onStart(test)
          .then(() => poolFor(test.context.config).run(test.path))
          .then((result) => onResult(test, result))
          .catch((error) => onFailure(test, error));
      }
    };
    try {
      await Promise.all(Array.from({ length: maxWorkers }, lane));
    } finally {
      await Promise.all([...pools.values()].map((pool) => pool.destroy()));
    }
  }
}
