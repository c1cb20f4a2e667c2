import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DataAccess } from '../data/data-access';
import type { GradualDeploymentOptions } from '../operations/gradual-deployment';

/**
 * Options for the Lambda function the library creates for a route handler.
 */
export interface RouteFunctionOptions {
  /**
   * Memory for the function, in MB.
   * @default - the API's `functionDefaults.memorySize`, else 512
   */
  readonly memorySize?: number;
  /**
   * Function timeout. API Gateway answers 504 after 29 seconds whatever this is.
   * @default - the API's `functionDefaults.timeout`, else 10 seconds
   */
  readonly timeout?: Duration;
  /**
   * Environment variables, added to the API's `functionDefaults.environment`.
   * @default - none beyond the API's defaults
   */
  readonly environment?: { [key: string]: string };
  /**
   * A description of the function.
   * @default - the routes it serves, e.g. 'GET /items/{id}'
   */
  readonly description?: string;
  /**
   * Permissions the function needs. Functions with the same set share one execution role.
   * @default - only writing its logs and traces
   */
  readonly dataAccess?: DataAccess[];
  /**
   * An execution role to use instead of a shared one. Excludes `dataAccess`.
   * @default - a role shared by the functions with the same `dataAccess`
   */
  readonly role?: iam.IRole;
  /**
   * Deploy the function gradually: versions behind an alias, traffic shifted by CodeDeploy with
   * automatic rollback on alarms. Overrides the API's `gradualDeployment` for this function.
   * @default - the API's `gradualDeployment` (none unless set)
   */
  readonly gradualDeployment?: GradualDeploymentOptions;
}

/** Options for a handler bundled from a TypeScript or JavaScript entry file. */
export interface EntryHandlerOptions extends RouteFunctionOptions {
  /**
   * The exported function name in the entry file.
   * @default 'handler'
   */
  readonly handler?: string;
}

/** Options for a handler built from prebuilt Lambda code. */
export interface CodeHandlerOptions extends RouteFunctionOptions {
  /**
   * The handler, as `file.export`.
   * @default 'index.handler'
   */
  readonly handler?: string;
}

/** What kind of function a handler stands for. @internal */
export type HandlerSource =
  | { readonly kind: 'entry'; readonly entry: string; readonly exportName: string }
  | { readonly kind: 'code'; readonly code: lambda.Code; readonly handler: string }
  | { readonly kind: 'function'; readonly fn: lambda.IFunction };

/**
 * The code behind one or more routes.
 *
 * A handler becomes one Lambda function the first time a route uses it. Give the same handler to
 * several routes to share one function (one resource-policy statement for all of them).
 *
 * @example
 * const items = RouteHandler.fromEntry('src/items.ts', { memorySize: 1024 });
 * api.addRoute({ method: 'GET', path: '/items', handler: items });
 * api.addRoute({ method: 'GET', path: '/items/{id}', handler: items });
 */
export class RouteHandler {
  /** A TypeScript/JavaScript file bundled with esbuild into its own function (no Docker). */
  public static fromEntry(entry: string, options: EntryHandlerOptions = {}): RouteHandler {
    return new RouteHandler({ kind: 'entry', entry, exportName: options.handler ?? 'handler' }, options);
  }

  /** Prebuilt code (an asset directory, an S3 object, inline code) with the library's function defaults. */
  public static fromCode(code: lambda.Code, options: CodeHandlerOptions = {}): RouteHandler {
    return new RouteHandler({ kind: 'code', code, handler: options.handler ?? 'index.handler' }, options);
  }

  /**
   * A function you own. The library adds only the permission for API Gateway to invoke it.
   */
  public static fromFunction(fn: lambda.IFunction): RouteHandler {
    return new RouteHandler({ kind: 'function', fn }, {});
  }

  /** @internal */
  public readonly _source: HandlerSource;
  /** @internal */
  public readonly _options: RouteFunctionOptions;

  private constructor(source: HandlerSource, options: RouteFunctionOptions) {
    this._source = source;
    this._options = options;
  }
}
