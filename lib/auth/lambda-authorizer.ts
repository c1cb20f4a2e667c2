import { Aws, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { pascal } from '../core/names';

/** Props shared by both kinds of Lambda authorizer. */
export interface LambdaAuthorizerOptions {
  /** The function that decides: it returns an IAM policy allowing or denying `execute-api:Invoke`. */
  readonly handler: lambda.IFunction;
  /**
   * How long API Gateway caches a decision for the same identity, from 0 (no cache) to 1 hour.
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
  /**
   * The authorizer's name in API Gateway and in the OpenAPI definition (letters, digits, _ and -).
   * @default - the handler's construct ID + 'Authorizer'
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
 *   handler: partnerAuthFn,
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
  /** The function that decides. */
  public readonly handler: lambda.IFunction;

  private readonly props: TokenAuthorizerProps & Partial<RequestAuthorizerProps>;

  private constructor(type: 'token' | 'request', props: TokenAuthorizerProps | RequestAuthorizerProps) {
    this.type = type;
    this.handler = props.handler;
    this.props = props;
  }

  /** The name it gets in API Gateway, unless `authorizerName` is set. @internal */
  public _defaultName(): string {
    return this.props.authorizerName ?? `${pascal(this.handler.node.id) || 'Lambda'}Authorizer`;
  }

  /**
   * Validates the props against the API that uses it and returns its OpenAPI security scheme.
   * @internal
   */
  public _render(scope: IConstruct, name: string): Record<string, any> {
    const prop = (p: string) => `authorizer '${name}' ${p}`;
    if (!NAME.test(name)) {
      throw propError(scope, prop('authorizerName'), name, 'is not a valid authorizer name', 'Use 1-64 letters, digits, \'_\' or \'-\'.');
    }
    if (!this.handler || typeof (this.handler as any).functionArn !== 'string') {
      throw propError(scope, prop('handler'), this.handler, 'is not a Lambda function', 'Pass a lambda.IFunction.');
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
        authorizerUri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${this.handler.functionArn}/invocations`,
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
