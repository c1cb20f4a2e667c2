import { Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { RouteHandler } from '../api/route-handler';
import { propError } from '../core/errors';

/** Which Cognito token the library's authorizer accepts. */
export enum CognitoTokenUse {
  /** Access tokens (`token_use: access`, app client in `client_id`, scopes in `scope`). */
  ACCESS = 'access',
  /** ID tokens (`token_use: id`, app client in `aud`). */
  ID = 'id',
}

/** Where the $connect request carries the token. */
export class WebSocketTokenSource {
  /**
   * A query string parameter: `wss://.../dev?token=<jwt>`. Browsers cannot set headers on a WebSocket
   * handshake, so this is how browser clients authenticate. The URL (and so the token) appears in no
   * access log of the library (its format logs no query string); keep token lifetimes short.
   */
  public static queryString(name: string = 'token'): WebSocketTokenSource {
    return new WebSocketTokenSource('querystring', name);
  }

  /** A header (`Authorization: Bearer <jwt>`), for non-browser clients. */
  public static header(name: string = 'Authorization'): WebSocketTokenSource {
    return new WebSocketTokenSource('header', name);
  }

  /** 'querystring' or 'header'. */
  public readonly location: string;
  /** The parameter or header name. */
  public readonly name: string;

  private constructor(location: string, name: string) {
    this.location = location;
    this.name = name;
  }

  /** The authorizer identity source, e.g. `route.request.querystring.token`. @internal */
  public _identitySource(): string {
    return `route.request.${this.location}.${this.name}`;
  }
}

/** Options of `WebSocketAuthorization.cognito()`. */
export interface WebSocketCognitoOptions {
  /** The user pool whose tokens are accepted. */
  readonly userPool: cognito.IUserPool;
  /** The app clients whose tokens are accepted (`client_id` of access tokens, `aud` of id tokens). At least one. */
  readonly userPoolClients: cognito.IUserPoolClient[];
  /**
   * Which token clients present.
   * @default CognitoTokenUse.ACCESS
   */
  readonly tokenUse?: CognitoTokenUse;
  /**
   * Where the token is.
   * @default WebSocketTokenSource.queryString('token')
   */
  readonly tokenSource?: WebSocketTokenSource;
  /**
   * OAuth scopes an access token must all have (e.g. 'chat/connect').
   * @default - none
   */
  readonly requiredScopes?: string[];
}

/** Options of `WebSocketAuthorization.lambda()`: a REQUEST authorizer of your own. */
export interface WebSocketLambdaAuthorizerOptions {
  /**
   * An existing function that decides. Excludes `handlerCode`.
   * @default - none; `handlerCode` is required instead
   */
  readonly handler?: lambda.IFunction;
  /**
   * Code for a new function that decides, created with the API's function defaults and shared roles.
   * Excludes `handler`.
   * @default - none; `handler` is required instead
   */
  readonly handlerCode?: RouteHandler;
  /**
   * The request values the decision depends on: `route.request.header.<name>`,
   * `route.request.querystring.<name>`, `stageVariables.<name>`, `context.<name>`. A $connect missing
   * one is refused with 401 without calling the function.
   */
  readonly identitySources: string[];
  /**
   * The authorizer's name in API Gateway.
   * @default 'ConnectAuthorizer'
   */
  readonly authorizerName?: string;
}

const NAME = /^[A-Za-z0-9_-]{1,128}$/;
const IDENTITY_SOURCE = /^(route\.request\.(header|querystring)\.[A-Za-z0-9!#$%&'*+.^_`|~-]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9_.]+)$/;
const TOKEN_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;

/**
 * Who may open a connection. API Gateway authorizes WebSocket APIs on `$connect` only: a message on
 * any other route travels over a connection that was authorized when it opened.
 *
 * @example
 * WebSocketAuthorization.cognito({ userPool, userPoolClients: [client] }) // ?token=<access token>
 */
export class WebSocketAuthorization {
  /** Anyone may connect. Declared explicitly: the library never defaults to public. */
  public static none(): WebSocketAuthorization {
    return new WebSocketAuthorization('none', {});
  }

  /** SigV4-signed handshakes of principals granted `api.grantConnect(grantee)`. */
  public static iam(): WebSocketAuthorization {
    return new WebSocketAuthorization('iam', {});
  }

  /**
   * Tokens of a Cognito user pool, verified by a library function with AWS's `aws-jwt-verify`
   * (signature against the pool's JWKS, issuer, expiry, `token_use`, app client, scopes). The
   * connection's principal is the token's `sub`.
   */
  public static cognito(options: WebSocketCognitoOptions): WebSocketAuthorization {
    return new WebSocketAuthorization('cognito', { cognito: options });
  }

  /**
   * A REQUEST authorizer of your own; the connection's principal is the `principalId` it returns.
   * Return `usageIdentifierKey` in its output for `apiKeySource: WebSocketApiKeySource.AUTHORIZER`.
   */
  public static lambda(options: WebSocketLambdaAuthorizerOptions): WebSocketAuthorization {
    return new WebSocketAuthorization('lambda', { lambda: options });
  }

  /** 'none', 'iam', 'cognito' or 'lambda'. */
  public readonly kind: string;
  /** @internal */
  public readonly _cognito?: WebSocketCognitoOptions;
  /** @internal */
  public readonly _lambda?: WebSocketLambdaAuthorizerOptions;

  private constructor(kind: string, options: { cognito?: WebSocketCognitoOptions; lambda?: WebSocketLambdaAuthorizerOptions }) {
    this.kind = kind;
    this._cognito = options.cognito;
    this._lambda = options.lambda;
  }

  /** Checks the options against the API; throws a props error. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    if (this._cognito) {
      const c = this._cognito;
      if (!c.userPool) {
        throw propError(scope, `${prop} userPool`, c.userPool, 'is missing', 'Pass the user pool whose tokens clients present.');
      }
      if (!Array.isArray(c.userPoolClients) || c.userPoolClients.length === 0) {
        throw propError(scope, `${prop} userPoolClients`, c.userPoolClients, 'is empty',
          'Name the app clients whose tokens are accepted, e.g. [apiUserPool.userPoolClient]: the authorizer checks the token\'s client.');
      }
      const source = c.tokenSource ?? WebSocketTokenSource.queryString();
      if (!TOKEN_NAME.test(source.name)) {
        throw propError(scope, `${prop} tokenSource`, source.name, `is not a valid ${source.location === 'header' ? 'header' : 'query parameter'} name`,
          'Use letters, digits and -_.~, e.g. \'token\'.');
      }
      for (const s of c.requiredScopes ?? []) {
        if (typeof s !== 'string' || (!Token.isUnresolved(s) && !SCOPE.test(s))) {
          throw propError(scope, `${prop} requiredScopes`, s, 'is not an OAuth scope', 'Use e.g. \'chat/connect\'.');
        }
      }
      if ((c.requiredScopes ?? []).length > 0 && (c.tokenUse ?? CognitoTokenUse.ACCESS) !== CognitoTokenUse.ACCESS) {
        throw propError(scope, `${prop} requiredScopes`, c.requiredScopes, 'are set for ID tokens',
          'Only access tokens carry scopes: use tokenUse CognitoTokenUse.ACCESS, or drop requiredScopes.');
      }
    }
    if (this._lambda) {
      const l = this._lambda;
      if ((l.handler === undefined) === (l.handlerCode === undefined)) {
        throw propError(scope, `${prop} handler`, l.handler ? 'a function' : undefined,
          l.handler ? 'and handlerCode are both set' : 'and handlerCode are both missing',
          'Pass an existing function as handler or the code of a new one as handlerCode (RouteHandler.fromEntry(...)), exactly one.');
      }
      if (l.handlerCode !== undefined && !(l.handlerCode instanceof RouteHandler)) {
        throw propError(scope, `${prop} handlerCode`, l.handlerCode, 'is not a RouteHandler', 'Pass RouteHandler.fromEntry(\'src/authorizer.ts\').');
      }
      if (l.authorizerName !== undefined && !NAME.test(l.authorizerName)) {
        throw propError(scope, `${prop} authorizerName`, l.authorizerName, 'is not a valid authorizer name', 'Use 1-128 letters, digits, \'_\' or \'-\'.');
      }
      if (!Array.isArray(l.identitySources) || l.identitySources.length === 0) {
        throw propError(scope, `${prop} identitySources`, l.identitySources, 'is empty',
          'Name what the decision depends on, e.g. \'route.request.querystring.ticket\'.');
      }
      for (const source of l.identitySources) {
        if (typeof source !== 'string' || (!Token.isUnresolved(source) && !IDENTITY_SOURCE.test(source))) {
          throw propError(scope, `${prop} identitySources`, source, 'is not a WebSocket identity source',
            'Use route.request.header.<name>, route.request.querystring.<name>, stageVariables.<name> or context.<name> '
            + '(REST\'s method.request.* does not apply to WebSocket APIs).');
        }
      }
      if (new Set(l.identitySources).size !== l.identitySources.length) {
        throw propError(scope, `${prop} identitySources`, l.identitySources, 'lists a source twice', 'List each source once.');
      }
    }
  }
}
