import * as fs from 'fs';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundledEntryCode } from './entry-bundling';
import { HandlerSource, RouteFunctionOptions } from './route-handler';
import { propError } from '../core/errors';

/** Defaults for every function an API creates. */
export interface FunctionDefaults {
  /**
   * Memory in MB.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * Timeout.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Environment variables for every function.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Processor architecture.
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;
  /**
   * Application log level of the JSON logs.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
}

/**
 * The newest Node.js runtime aws-cdk-lib 2.276 offers that Lambda supports.
 */
export const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** @internal */
export interface RouteFunctionSpec {
  readonly source: Exclude<HandlerSource, { kind: 'function' }>;
  readonly options: RouteFunctionOptions;
  readonly defaults: FunctionDefaults;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly description: string;
  readonly routeName: string;
  /** How errors name the function's owner. Default: `route '<routeName>'`. */
  readonly subject?: string;
  readonly functionName?: string;
}

/**
 * Creates a route function with the library's defaults: newest Node.js runtime, arm64, esbuild
 * bundle built in-process (minified, source maps, AWS SDK v3 left to the runtime; see entry-bundling.ts), JSON logs to the API's shared log
 * group, X-Ray active tracing, and a shared role.
 * @internal
 */
export function createRouteFunction(scope: Construct, id: string, spec: RouteFunctionSpec): lambda.Function {
  const { source, options, defaults } = spec;
  const subject = spec.subject ?? `route '${spec.routeName}'`;
  const memorySize = options.memorySize ?? defaults.memorySize ?? 512;
  const timeout = options.timeout ?? defaults.timeout ?? Duration.seconds(10);
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
    throw propError(scope, `${subject} memorySize`, memorySize, 'must be an integer from 128 to 10240 (MB)', 'Use e.g. 512.');
  }
  if (!timeout.isUnresolved() && (timeout.toMilliseconds() < 1000 || timeout.toSeconds() > 900)) {
    throw propError(scope, `${subject} timeout`, timeout.toHumanString(), 'must be from 1 second to 15 minutes',
      'API Gateway answers 504 after 29 seconds, so keep it below that, e.g. Duration.seconds(10).');
  }
  const common = {
    functionName: spec.functionName,
    runtime: DEFAULT_RUNTIME,
    architecture: defaults.architecture ?? lambda.Architecture.ARM_64,
    memorySize,
    timeout,
    environment: { ...defaults.environment, ...options.environment },
    description: spec.description,
    role: spec.role,
    tracing: lambda.Tracing.ACTIVE,
    loggingFormat: lambda.LoggingFormat.JSON,
    applicationLogLevelV2: defaults.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
    systemLogLevelV2: lambda.SystemLogLevel.WARN,
    logGroup: spec.logGroup,
  };
  if (source.kind === 'code') {
    return new lambda.Function(scope, id, { ...common, code: source.code, handler: source.handler });
  }
  if (!fs.existsSync(source.entry)) {
    throw propError(scope, `${subject} handler entry`, source.entry, 'does not exist',
      'Give the path of a .ts or .js file, relative to the directory you run cdk from or absolute.');
  }
  if (!/\.(jsx?|tsx?|cjs|cts|mjs|mts)$/.test(source.entry)) {
    throw propError(scope, `${subject} handler entry`, source.entry, 'is not a JavaScript or TypeScript file',
      'Give a .ts, .js, .mts, .mjs, .cts or .cjs entry file.');
  }
  // A NodejsFunction (users may test for it), with its code bundled in this process by esbuild's API:
  // no process per bundle, no Docker fallback, and an asset hash independent of the checkout's path.
  const handler = source.exportName.includes('.') ? source.exportName : `index.${source.exportName}`;
  return new nodejs.NodejsFunction(scope, id, {
    ...common,
    environment: { NODE_OPTIONS: '--enable-source-maps', ...common.environment },
    code: bundledEntryCode(scope, subject, source.entry, DEFAULT_RUNTIME),
    handler,
  });
}
