import * as path from 'path';
import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { RouteHandler } from '../api/route-handler';
import type { ServerlessApi } from '../api/serverless-api';
import { propError } from '../core/errors';
import { pascal } from '../core/names';

/**
 * Props shared by both kinds of Lambda authorizer. Give the function that decides (it returns an IAM
 * policy allowing or denying `execute-api:Invoke`) as exactly one of `handler` or `handlerCode`.
 */
export interface LambdaAuthorizerOptions {
  /**
   * An existing function that decides. The library adds only the permission for API Gateway to
   * invoke it. Excludes `handlerCode`.
   * @default - none; `handlerCode` is required instead
   */
  readonly handler?: lambda.IFunction;
  /**
   * Code for a new function that decides, created by each API that uses the authorizer with the
   * defaults of its route functions: the API's `functionDefaults`, Node.js on arm64, esbuild bundle,
   * JSON logs to the API's function log group, X-Ray tracing, a physical name, and the API's shared
   * logs-only role (or the role that the handler's `dataAccess` or `role` picks). Excludes `handler`.
   * @default - none; `handler` is required instead
   */
  readonly handlerCode?: RouteHandler;
  /**
   * How long API Gateway caches a decision for the same identity, from 0 (no cache) to 1 hour.
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
  /**
   * The authorizer's name in API Gateway and in the OpenAPI definition (letters, digits, _ and -).
   * @default - the handler's construct ID + 'Authorizer'; for `handlerCode` from an entry file, the
   * file's name in PascalCase, + 'Authorizer' unless it ends so ('partner-authorizer.ts' gives
   * 'PartnerAuthorizer'); for other `handlerCode`, 'LambdaAuthorizer'
   */
  readonly authorizerName?: string;
}

/** Props of `LambdaAuthorizer.token()`. */
export interface TokenAuthorizerProps extends LambdaAuthorizerOptions {
  /**
   * The request header carrying the token.
   * @default 'Authorization'
   */
  readonly headerName?: string;
  /**
   * A regular expression the token must match before the function is called (saves invocations).
   * @default - every token reaches the function
   */
  readonly validationRegex?: string;
}

/** Props of `LambdaAuthorizer.request()`. */
export interface RequestAuthorizerProps extends LambdaAuthorizerOptions {
  /**
   * The request values the decision depends on (and the cache is keyed by), e.g.
   * `method.request.header.x-partner-id`, `method.request.querystring.key`, `context.sourceIp`,
   * `stageVariables.name`. A request missing one is answered 401 without calling the function.
   */
  readonly identitySources: string[];
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const IDENTITY_SOURCE = /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[A-Za-z0-9!#$%&'*+.^_`|~-]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9_.]+)$/;
const MAX_TTL_SECONDS = 3600;

/**
 * A Lambda authorizer (formerly custom authorizer) that routes use with `RouteAuthorization.lambda()`.
 * One authorizer may protect any number of routes; it is added to an API the first time a route of
 * that API uses it (API Gateway allows 10 authorizers per API).
 *
 * @example
 * const partners = LambdaAuthorizer.request({
 *   handlerCode: RouteHandler.fromEntry('src/partner-authorizer.ts'),
 *   identitySources: ['method.request.header.x-partner-id'],
 * });
 * api.addRoute({ method: 'GET', path: '/partner/items', handler, authorization: RouteAuthorization.lambda(partners) });
 */
export class LambdaAuthorizer {
  /** An authorizer that receives one header's value (a bearer token, for example). */
  public static token(props: TokenAuthorizerProps): LambdaAuthorizer {
    return new LambdaAuthorizer('token', props);
  }

  /** An authorizer that receives the whole request: headers, query string, stage variables, context. */
  public static request(props: RequestAuthorizerProps): LambdaAuthorizer {
    return new LambdaAuthorizer('request', props);
  }

  /** 'token' or 'request'. */
  public readonly type: string;
  /** The existing function given as `handler`, if any (see `functionFor` for the one an API created). */
  public readonly handler?: lambda.IFunction;
  /** The code given as `handlerCode`, if any: each API that uses the authorizer creates a function of it. */
  public readonly handlerCode?: RouteHandler;

  private readonly props: TokenAuthorizerProps & Partial<RequestAuthorizerProps>;
  private readonly functions = new Map<ServerlessApi, lambda.IFunction>();

  private constructor(type: 'token' | 'request', props: TokenAuthorizerProps | RequestAuthorizerProps) {
    this.type = type;
    this.handler = props.handler;
    this.handlerCode = props.handlerCode;
    this.props = props;
  }

  /**
   * The function that decides for `api`: the `handler` given, or the function `api` created from
   * `handlerCode` when its first route used this authorizer. Throws if `api` has no route using it.
   */
  public functionFor(api: ServerlessApi): lambda.IFunction {
    const fn = this.functions.get(api);
    if (!fn) {
      throw propError(api, 'authorizer', this._defaultName(), 'is used by no route of this API',
        'Add a route with authorization: RouteAuthorization.lambda(authorizer) first.');
    }
    return fn;
  }

  /** The name it gets in API Gateway, unless `authorizerName` is set. @internal */
  public _defaultName(): string {
    if (this.props.authorizerName !== undefined) { return this.props.authorizerName; }
    const source = this.handlerCode instanceof RouteHandler ? this.handlerCode._source : undefined;
    const fn = this.handler ?? (source?.kind === 'function' ? source.fn : undefined);
    if (fn?.node) {
      return `${pascal(fn.node.id) || 'Lambda'}Authorizer`;
    }
    if (source?.kind === 'entry') {
      const base = pascal(path.basename(source.entry).replace(/\.[^.]*$/, ''));
      return base.endsWith('Authorizer') ? base : `${base || 'Lambda'}Authorizer`;
    }
    return 'LambdaAuthorizer';
  }

  /**
   * Checks that exactly one of `handler` and `handlerCode` is set, as a function and a RouteHandler.
   * @internal
   */
  public _checkHandler(scope: IConstruct, name: string): void {
    const prop = (p: string) => `authorizer '${name}' ${p}`;
    if (this.handler !== undefined && this.handlerCode !== undefined) {
      throw propError(scope, prop('handler'), 'a function', 'and handlerCode are both set',
        'Pass an existing function as handler or the code of a new one as handlerCode, not both.');
    }
    if (this.handler === undefined && this.handlerCode === undefined) {
      throw propError(scope, prop('handler'), undefined, 'and handlerCode are both missing',
        'Pass handler: fn (a lambda.IFunction) or handlerCode: RouteHandler.fromEntry(\'src/authorizer.ts\').');
    }
    if (this.handlerCode !== undefined && !(this.handlerCode instanceof RouteHandler)) {
      throw propError(scope, prop('handlerCode'), this.handlerCode, 'is not a RouteHandler',
        'Pass RouteHandler.fromEntry(\'src/authorizer.ts\'), RouteHandler.fromCode(...) or RouteHandler.fromFunction(fn).');
    }
    if (this.handler !== undefined && (!this.handler || typeof (this.handler as any).functionArn !== 'string')) {
      throw propError(scope, prop('handler'), this.handler, 'is not a Lambda function', 'Pass a lambda.IFunction.');
    }
  }

  /**
   * The identity sources a response cache can key on (headers and query parameters; not context or
   * stage variables), as `method.request.header.<name>`. @internal
   */
  public _keyableIdentitySources(): string[] {
    if (this.type === 'token') {
      return [`method.request.header.${this.props.headerName ?? 'Authorization'}`];
    }
    return (this.props.identitySources ?? []).filter(s => /^method\.request\.(header|querystring)\./.test(s));
  }

  /** Records the function that decides for `api`. @internal */
  public _attach(api: ServerlessApi, fn: lambda.IFunction): void {
    this.functions.set(api, fn);
  }

  /**
   * Validates the props against the API that uses it and returns its OpenAPI security scheme.
   * `authorizerUri` is the Lambda invocation URI of the function that decides for this API.
   * @internal
   */
  public _render(scope: IConstruct, name: string, authorizerUri: string): Record<string, any> {
    const prop = (p: string) => `authorizer '${name}' ${p}`;
    if (!NAME.test(name)) {
      throw propError(scope, prop('authorizerName'), name, 'is not a valid authorizer name', 'Use 1-64 letters, digits, \'_\' or \'-\'.');
    }
    const ttl = this.props.resultsCacheTtl ?? Duration.minutes(5);
    const ttlSeconds = ttl.isUnresolved() ? undefined : ttl.toSeconds();
    if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS)) {
      throw propError(scope, prop('resultsCacheTtl'), ttl.toHumanString(), 'must be from 0 to 3600 seconds',
        'Use e.g. Duration.minutes(5), or Duration.seconds(0) to call the authorizer on every request.');
    }
    let identitySource: string;
    let headerName: string;
    if (this.type === 'token') {
      headerName = this.props.headerName ?? 'Authorization';
      if (typeof headerName !== 'string' || !HEADER.test(headerName)) {
        throw propError(scope, prop('headerName'), headerName, 'is not an HTTP header name', 'Use e.g. \'Authorization\'.');
      }
      identitySource = `method.request.header.${headerName}`;
      const regex = this.props.validationRegex;
      if (regex !== undefined && !Token.isUnresolved(regex) && (regex === '' || !compiles(regex))) {
        throw propError(scope, prop('validationRegex'), regex, 'is not a regular expression',
          'Give the pattern a valid token matches, e.g. \'^Bearer [-0-9A-Za-z._~+/]+=*$\', or drop it.');
      }
    } else {
      const sources = this.props.identitySources;
      if (!Array.isArray(sources) || sources.length === 0) {
        throw propError(scope, prop('identitySources'), sources, 'is empty',
          'Name at least one request value the decision depends on, e.g. \'method.request.header.x-partner-id\'.');
      }
      for (const source of sources) {
        if (typeof source !== 'string' || (!Token.isUnresolved(source) && !IDENTITY_SOURCE.test(source))) {
          throw propError(scope, prop('identitySources'), source, 'is not an identity source',
            'Use method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>.');
        }
      }
      if (new Set(sources).size !== sources.length) {
        throw propError(scope, prop('identitySources'), sources, 'lists a source twice', 'List each source once.');
      }
      identitySource = sources.join(', ');
      headerName = 'Unused';
    }
    return {
      type: 'apiKey',
      name: headerName,
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': {
        type: this.type,
        authorizerUri,
        identitySource,
        ...(this.props.validationRegex !== undefined ? { identityValidationExpression: this.props.validationRegex } : {}),
        authorizerResultTtlInSeconds: ttlSeconds ?? ttl.toSeconds(),
      },
    };
  }
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
