import { randomUUID } from 'crypto';
import * as readline from 'readline';
import { Worker } from 'worker_threads';
import { WORKER_SOURCE } from './worker-source';
import type { FunctionSpec } from '../assembly/stage-model';

/** A function error as Lambda reports it (`X-Amz-Function-Error` payload). */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: string[];
}

/** What one invocation gave. */
export interface InvokeOutcome {
  /** The handler's result (JSON-safe), when it succeeded. */
  readonly payload?: unknown;
  /** The function error, when it failed, timed out or crashed. */
  readonly error?: FunctionError;
  /** Whether the instance was started for this invocation (a cold start). */
  readonly coldStart: boolean;
  readonly durationMs: number;
}

/** A line a function wrote to stdout or stderr. */
export interface FunctionLogLine {
  readonly functionName: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

/** Settings of a function's instances. */
export interface FunctionPoolOptions {
  /** Most instances running at once (Lambda's concurrency); invocations beyond it wait. */
  readonly maxInstances: number;
  /** Environment added to the function's own (local endpoints, credentials). */
  readonly environment: { [name: string]: string };
  /** Directories searched for modules the code does not bundle (the AWS SDK the runtime provides). */
  readonly nodePaths: string[];
  /** Where the function's output goes. */
  readonly log: (line: FunctionLogLine) => void;
}

interface Pending {
  readonly event: unknown;
  readonly requestId: string;
  readonly resolve: (outcome: InvokeOutcome) => void;
}

/**
 * The warm instances of one function, each a worker thread that loads the handler once and serves
 * one invocation at a time, as a Lambda execution environment does. An invocation that runs past the
 * function's timeout ends its instance (`Task timed out after N seconds`, like Lambda); the next one
 * starts a new instance.
 */
export class FunctionPool {
  private readonly idle: FunctionInstance[] = [];
  private readonly all = new Set<FunctionInstance>();
  private readonly queue: Pending[] = [];
  private stopped = false;

  constructor(public readonly spec: FunctionSpec, private readonly options: FunctionPoolOptions) {}

  /** Instances started so far and alive. */
  public get instances(): number {
    return this.all.size;
  }

  /** Invokes the function with `event`; never rejects (errors come back as `outcome.error`). */
  public invoke(event: unknown, requestId: string = randomUUID()): Promise<InvokeOutcome> {
    if (this.spec.unsupported) {
      return Promise.resolve({
        error: { errorType: 'Runtime.Unsupported', errorMessage: `The local server cannot run ${this.spec.name}: ${this.spec.unsupported}.` },
        coldStart: false, durationMs: 0,
      });
    }
    if (this.stopped) {
      return Promise.resolve({ error: { errorType: 'Runtime.Stopped', errorMessage: 'The local server is stopping.' }, coldStart: false, durationMs: 0 });
    }
    return new Promise(resolve => {
      this.queue.push({ event, requestId, resolve });
      this.dispatch();
    });
  }

  /** Ends every instance. */
  public async stop(): Promise<void> {
    this.stopped = true;
    for (const pending of this.queue.splice(0)) {
      pending.resolve({ error: { errorType: 'Runtime.Stopped', errorMessage: 'The local server is stopping.' }, coldStart: false, durationMs: 0 });
    }
    await Promise.all([...this.all].map(i => i.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let instance = this.idle.pop();
      let cold = false;
      if (!instance) {
        const limit = Math.max(1, Math.min(this.options.maxInstances, this.spec.reservedConcurrency ?? Infinity));
        if (this.all.size >= limit) { return; }
        instance = new FunctionInstance(this.spec, this.options, dead => this.forget(dead));
        this.all.add(instance);
        cold = true;
      }
      const pending = this.queue.shift()!;
      const chosen = instance;
      void chosen.invoke(pending.event, pending.requestId, cold).then(outcome => {
        pending.resolve(outcome);
        if (chosen.alive && !this.stopped) {
          this.idle.push(chosen);
        }
        this.dispatch();
      });
    }
  }

  private forget(instance: FunctionInstance): void {
    this.all.delete(instance);
    const index = this.idle.indexOf(instance);
    if (index >= 0) { this.idle.splice(index, 1); }
    if (!this.stopped) { this.dispatch(); }
  }
}

/** One execution environment: a worker thread with the handler loaded. */
class FunctionInstance {
  public alive = true;
  private readonly worker: Worker;
  private readonly ready: Promise<FunctionError | undefined>;
  private current?: { id: string; finish: (outcome: { payload?: unknown; error?: FunctionError }) => void };

  constructor(private readonly spec: FunctionSpec, options: FunctionPoolOptions, private readonly onExit: (i: FunctionInstance) => void) {
    const region = options.environment.AWS_REGION ?? 'us-east-1';
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Not the server's flags (`-r ts-node/register`, inspectors): a Lambda instance runs plain Node.js.
      execArgv: [],
      stdout: true,
      stderr: true,
      workerData: { codeDirectory: spec.codeDirectory, handler: spec.handler, nodePaths: options.nodePaths },
      env: {
        PATH: process.env.PATH ?? '',
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: spec.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
        AWS_LAMBDA_LOG_STREAM_NAME: `local/${randomUUID()}`,
        LAMBDA_TASK_ROOT: spec.codeDirectory ?? '',
        LAMBDA_RUNTIME_DIR: spec.codeDirectory ?? '',
        ...options.environment,
        ...spec.environment,
      },
      resourceLimits: { maxOldGenerationSizeMb: Math.max(spec.memoryMb, 128) },
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      readline.createInterface({ input: this.worker[stream] }).on('line', line => options.log({ functionName: spec.name, stream, line }));
    }
    this.ready = new Promise(resolve => {
      this.worker.on('message', (message: any) => {
        if (message.type === 'ready') { resolve(undefined); return; }
        if (message.type === 'init-error') { resolve(message.error); return; }
        if ((message.type === 'result' || message.type === 'error') && this.current?.id === message.id) {
          this.current?.finish(message.type === 'result' ? { payload: message.result } : { error: message.error });
        }
      });
      this.worker.on('error', err => {
        resolve({ errorType: 'Runtime.ExitError', errorMessage: err.message });
        this.current?.finish({ error: { errorType: 'Runtime.ExitError', errorMessage: `The instance crashed: ${err.message}` } });
      });
      this.worker.on('exit', code => {
        this.alive = false;
        resolve({ errorType: 'Runtime.ExitError', errorMessage: `The instance exited with code ${code} during init.` });
        this.current?.finish({ error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: the instance exited with code ${code}.` } });
        this.onExit(this);
      });
    });
  }

  public async invoke(event: unknown, requestId: string, coldStart: boolean): Promise<InvokeOutcome> {
    const started = Date.now();
    const initError = await this.ready;
    if (initError) {
      await this.terminate();
      return { error: initError, coldStart, durationMs: Date.now() - started };
    }
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const invokedAt = Date.now();
    return new Promise<InvokeOutcome>(resolve => {
      const timer = setTimeout(() => {
        const seconds = Number.isInteger(this.spec.timeoutSeconds) ? this.spec.timeoutSeconds.toFixed(2) : String(this.spec.timeoutSeconds);
        finish({ error: { errorType: 'Sandbox.Timedout', errorMessage: `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds` } });
        void this.terminate();
      }, timeoutMs);
      const finish = (outcome: { payload?: unknown; error?: FunctionError }) => {
        if (!this.current) { return; }
        this.current = undefined;
        clearTimeout(timer);
        resolve({ ...outcome, coldStart, durationMs: Date.now() - invokedAt });
      };
      this.current = { id: requestId, finish };
      this.worker.postMessage({
        type: 'invoke',
        id: requestId,
        event,
        context: {
          awsRequestId: requestId,
          functionName: this.spec.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: this.spec.arn,
          memoryLimitInMB: String(this.spec.memoryMb),
          logGroupName: `/aws/lambda/${this.spec.name}`,
          logStreamName: 'local',
          deadlineMs: invokedAt + timeoutMs,
        },
      });
    });
  }

  public async terminate(): Promise<void> {
    if (!this.alive) { return; }
    this.alive = false;
    await this.worker.terminate();
  }
}
