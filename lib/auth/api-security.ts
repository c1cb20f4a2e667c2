import { Aws, Names, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiUserPool, CognitoAuthOptions } from './api-user-pool';
import { CorsOptions, gatewayResponseCorsHeaders, preflightOperation, validateCors } from './cors-options';
import { LambdaAuthorizer } from './lambda-authorizer';
import { ApiResourcePolicy } from './resource-policy';
import { RouteAuthorization } from './route-authorization';
import { SourceIpPolicy, sourceIpDenyStatements, validateSourceIpPolicy } from './source-ip-policy';
import type { FunctionDefaults } from '../api/route-function';
import { ParsedPath, routeKey } from '../api/route-path';
import { wildcardMethod } from '../core/method-keys';
import type { ServerlessApi } from '../api/serverless-api';
import { propError } from '../core/errors';
import { pascalRouteId } from '../core/names';

/** The security props of `ServerlessApiProps`. @internal */
export interface ApiSecurityProps {
  readonly defaultAuthorization?: RouteAuthorization;
  readonly cognito?: CognitoAuthOptions;
  readonly cors?: CorsOptions;
  readonly sourceIpPolicy?: SourceIpPolicy;
}

interface SecuredRoute {
  readonly method: string;
  readonly parsed: ParsedPath;
  readonly authorization: RouteAuthorization;
}

/** The security scheme names in the OpenAPI definition. */
const IAM_SCHEME = 'sigv4';
const COGNITO_SCHEME = 'CognitoUserPool';
/** API Gateway's limit. */
const MAX_AUTHORIZERS = 10;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
/** The one scope that tokens from SRP sign-in (InitiateAuth) carry, without the OAuth endpoints. */
const SRP_SCOPE = 'aws.cognito.signin.user.admin';

/**
 * Authorization, CORS and resource policy of a `ServerlessApi`, written into its OpenAPI body through
 * the API's definition and operation extensions.
 * @internal
 */
export class ApiSecurity {
  /** `functionDefaults` with CORS_ALLOW_ORIGINS added when CORS is on. */
  public static functionDefaults(defaults: FunctionDefaults, cors?: CorsOptions): FunctionDefaults {
    if (!cors || !Array.isArray(cors.allowOrigins)) { return defaults; }
    return { ...defaults, environment: { ...defaults.environment, CORS_ALLOW_ORIGINS: cors.allowOrigins.join(',') } };
  }

  /** The user pool whose tokens Cognito routes accept. */
  public readonly userPool?: cognito.IUserPool;
  /** The user pool this API created. */
  public readonly apiUserPool?: ApiUserPool;
  /** The API's resource policy, rendered into the OpenAPI body. */
  public readonly resourcePolicy = new ApiResourcePolicy();

  /** The ApiUserPool that owns `userPool` (created here, or the one of another API), for scopes. */
  private readonly scopeOwner?: ApiUserPool;
  private readonly userPoolDomain?: cognito.IUserPoolDomain;
  private readonly defaultAuthorization: RouteAuthorization;
  private readonly cors?: CorsOptions;
  private readonly sourceIpPolicy?: SourceIpPolicy;
  /** Whether the API has a resource policy, so that routes without IAM need an explicit Allow. */
  private readonly explicitAllows: boolean;
  private readonly routes = new Map<string, SecuredRoute>();
  private readonly authorizers = new Map<LambdaAuthorizer, { name: string; scheme: Record<string, any> }>();
  private readonly policyPaths = new Set<string>();
  private publicRoutesStatement?: iam.PolicyStatement;

  constructor(private readonly api: ServerlessApi, props: ApiSecurityProps) {
    this.defaultAuthorization = props.defaultAuthorization ?? RouteAuthorization.iam();
    if (!(this.defaultAuthorization instanceof RouteAuthorization)) {
      throw propError(api, 'defaultAuthorization', this.defaultAuthorization, 'is not a RouteAuthorization',
        'Use RouteAuthorization.iam(), .cognito(), .lambda(authorizer) or .none().');
    }
    if (props.cognito) {
      if (props.cognito.userPool && props.cognito.userPoolProps) {
        throw propError(api, 'cognito.userPool', 'a user pool', 'and cognito.userPoolProps are both set',
          'Pass an existing user pool or props for a new one, not both.');
      }
      if (props.cognito.userPoolDomain && !props.cognito.userPool) {
        throw propError(api, 'cognito.userPoolDomain', props.cognito.userPoolDomain.domainName, 'is set without cognito.userPool',
          'userPoolDomain belongs to an existing pool; for the pool the API creates, set cognito.userPoolProps.domainPrefix.');
      }
      if (props.cognito.userPool) {
        this.userPool = props.cognito.userPool;
        // The pool of another API's ApiUserPool: scopes go to its resource server, which adds the domain.
        const owner = props.cognito.userPool.node.scope;
        this.scopeOwner = owner instanceof ApiUserPool ? owner : undefined;
        this.userPoolDomain = props.cognito.userPoolDomain;
      } else {
        this.apiUserPool = new ApiUserPool(api, 'UserPool', props.cognito.userPoolProps);
        this.userPool = this.apiUserPool.userPool;
        this.scopeOwner = this.apiUserPool;
      }
    }
    if (this.defaultAuthorization.authorizationType === apigateway.AuthorizationType.COGNITO && !this.userPool) {
      throw propError(api, 'defaultAuthorization', 'RouteAuthorization.cognito()', 'needs a Cognito user pool, but cognito is not set',
        'Set cognito: {} (a new user pool) or cognito: { userPool }.');
    }
    if (props.cors) {
      validateCors(api, props.cors);
      this.cors = props.cors;
    }
    if (props.sourceIpPolicy) {
      validateSourceIpPolicy(api, props.sourceIpPolicy);
      this.sourceIpPolicy = props.sourceIpPolicy;
      this.resourcePolicy.addStatements(...sourceIpDenyStatements(props.sourceIpPolicy));
    }
    // sourceIpPolicy and PRIVATE endpoints write Deny statements; with a resource policy, routes
    // without IAM are denied unless it allows them explicitly.
    this.explicitAllows = this.sourceIpPolicy !== undefined || api.endpointType === apigateway.EndpointType.PRIVATE;
    api.node.addValidation({ validate: () => this.resourcePolicy.validate(api, api.restApi) });
    api._extendOperations((method, path, operation) => this.secureOperation(method, path, operation));
    api._extendDefinition(definition => this.extendDefinition(definition));
  }

  /**
   * Checks a route's authorization before the API records it, binds its authorizer, and opens the
   * resource policy to it when it does not use IAM. Returns the effective authorization.
   */
  public addRoute(key: string, method: string, parsed: ParsedPath, authorization?: RouteAuthorization): RouteAuthorization {
    const prop = `route '${key}' authorization`;
    if (this.cors && method === 'OPTIONS') {
      throw propError(this.api, `route '${key}' method`, method, 'is declared while cors is on, and the API answers preflight OPTIONS itself',
        'Drop the OPTIONS route, or drop cors and answer preflight requests in your handler.');
    }
    const auth = authorization ?? this.defaultAuthorization;
    if (!(auth instanceof RouteAuthorization)) {
      throw propError(this.api, prop, auth, 'is not a RouteAuthorization', 'Use RouteAuthorization.iam(), .cognito(), .lambda(authorizer) or .none().');
    }
    if (auth.authorizationType === apigateway.AuthorizationType.COGNITO) {
      if (!this.userPool) {
        throw propError(this.api, prop, 'RouteAuthorization.cognito()', 'needs a Cognito user pool, but the API\'s cognito prop is not set',
          'Set cognito: {} (a new user pool) or cognito: { userPool } on the ServerlessApi.');
      }
      for (const scope of auth.scopes) {
        if (typeof scope !== 'string' || !SCOPE.test(scope)) {
          throw propError(this.api, `${prop} scopes`, scope, 'is not an OAuth scope (empty, blank, or with spaces or quotes)',
            'Write scopes as they appear in access tokens, e.g. \'api/items.write\'.');
        }
        this.scopeOwner?._useScope(this.api, `${prop} scopes`, scope);
      }
      const oauthScopes = auth.scopes.filter(s => s !== SRP_SCOPE);
      if (oauthScopes.length > 0 && !this.scopeOwner && !this.userPoolDomain) {
        throw propError(this.api, `${prop} scopes`, oauthScopes.length === 1 ? oauthScopes[0] : oauthScopes,
          'need the OAuth endpoints of a user pool domain, but cognito.userPoolDomain is not set',
          'Add a domain to the pool (userPool.addDomain(...) or the console) and pass it as cognito: { userPool, userPoolDomain }, '
          + 'or let the API create its pool (cognito: { userPoolProps }).');
      }
    }
    if (auth.authorizationType === apigateway.AuthorizationType.CUSTOM) {
      this.bindAuthorizer(prop, auth.authorizer!);
    }
    if (this.explicitAllows) {
      if (auth.authorizationType !== apigateway.AuthorizationType.IAM) {
        this.allowPublic(method, parsed);
      }
      if (this.cors) {
        this.allowPublic('OPTIONS', parsed);
      }
    }
    this.routes.set(key, { method, parsed, authorization: auth });
    return auth;
  }

  /** Lets `grantee` call one IAM route, or every route of the stage. */
  public grantInvoke(grantee: iam.IGrantable, method?: string, path?: string): iam.Grant {
    if ((method === undefined) !== (path === undefined)) {
      throw propError(this.api, 'grantInvoke route', `${method ?? ''} ${path ?? ''}`.trim(), 'names only one of method and path',
        'Give both, e.g. grantInvoke(role, \'GET\', \'/items\'), or neither for every route.');
    }
    let resourceArn: string;
    if (method !== undefined && path !== undefined) {
      const key = routeKey(method, path);
      const route = this.routes.get(key);
      if (!route) {
        throw propError(this.api, 'grantInvoke route', key, 'is not a route of this API',
          `Use one of: ${[...this.routes.keys()].join(', ') || '(no routes yet)'}; add the route before granting.`);
      }
      if (route.authorization.authorizationType !== apigateway.AuthorizationType.IAM) {
        throw propError(this.api, 'grantInvoke route', key, `uses ${route.authorization.authorizationType} authorization, so an IAM grant has no effect`,
          'Set authorization: RouteAuthorization.iam() on the route, or let callers in through its authorizer.');
      }
      resourceArn = this.api.arnForRoute(method, path);
    } else {
      resourceArn = this.api.restApi.arnForExecuteApi('*', '/*', this.api.stageName);
    }
    return iam.Grant.addToPrincipal({ grantee, actions: ['execute-api:Invoke'], resourceArns: [resourceArn] });
  }

  private bindAuthorizer(prop: string, authorizer: LambdaAuthorizer): void {
    if (!(authorizer instanceof LambdaAuthorizer)) {
      throw propError(this.api, prop, authorizer, 'has no Lambda authorizer', 'Pass LambdaAuthorizer.token({...}) or LambdaAuthorizer.request({...}).');
    }
    if (this.authorizers.has(authorizer)) { return; }
    const count = this.authorizers.size + (this.userPool ? 1 : 0) + 1;
    if (count > MAX_AUTHORIZERS) {
      throw propError(this.api, prop, authorizer._defaultName(), `would be authorizer number ${count} of the API`,
        `API Gateway allows ${MAX_AUTHORIZERS} authorizers per API (a Cognito user pool counts as one): share authorizers between routes.`);
    }
    const used = new Set([IAM_SCHEME, COGNITO_SCHEME, ...[...this.authorizers.values()].map(a => a.name)]);
    let name = authorizer._defaultName();
    for (let n = 2; used.has(name); n++) {
      name = `${authorizer._defaultName()}${n}`;
    }
    authorizer._checkHandler(this.api, name);
    const code = authorizer.handlerCode?._source;
    const given = authorizer.handler ?? (code?.kind === 'function' ? code.fn : undefined);
    const { fn, uri } = given
      ? { fn: given, uri: authorizerFunctionUri(given) }
      : this.api._authorizerFunction(name, authorizer.handlerCode!);
    const scheme = authorizer._render(this.api, name, uri);
    authorizer._attach(this.api, fn);
    this.authorizers.set(authorizer, { name, scheme });

    // API Gateway calls the authorizer as itself; scope the permission to this API's authorizers.
    const sourceArn = Stack.of(this.api).formatArn({ service: 'execute-api', resource: this.api.restApi.restApiId, resourceName: 'authorizers/*' });
    const principal = new iam.ServicePrincipal('apigateway.amazonaws.com');
    const id = `ApiGatewayAuthorizer${Names.nodeUniqueId(this.api.node)}`;
    if (fn instanceof lambda.Function) {
      fn.addPermission(id, { principal, sourceArn, action: 'lambda:InvokeFunction' });
    } else {
      new lambda.CfnPermission(this.api, `${name}Invoke`, {
        action: 'lambda:InvokeFunction',
        functionName: fn.functionArn,
        principal: principal.service,
        sourceArn,
      });
    }
  }

  /**
   * With a resource policy (sourceIpPolicy, PRIVATE endpoint), routes that do not use IAM need an
   * explicit Allow. IAM routes get none: an Allow for everyone would let principals of any account in
   * with their own IAM policies.
   */
  private allowPublic(method: string, parsed: ParsedPath): void {
    const resource = `execute-api:/${this.api.stageName}/${wildcardMethod(method)}${parsed.arnPath}`;
    if (this.policyPaths.has(resource)) { return; }
    this.policyPaths.add(resource);
    if (!this.publicRoutesStatement) {
      this.publicRoutesStatement = new iam.PolicyStatement({
        sid: 'AllowRoutesWithoutIam',
        principals: [new iam.AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: [resource],
      });
      this.resourcePolicy.addStatements(this.publicRoutesStatement);
    } else {
      this.publicRoutesStatement.addResources(resource);
    }
  }

  private secureOperation(method: string, path: string, operation: Record<string, any>): void {
    const route = this.routes.get(`${method} ${path}`);
    if (!route) { return; }
    operation.security = this.securityRequirement(route.authorization);
  }

  private securityRequirement(auth: RouteAuthorization): Array<Record<string, string[]>> {
    switch (auth.authorizationType) {
      case apigateway.AuthorizationType.NONE: return [];
      case apigateway.AuthorizationType.IAM: return [{ [IAM_SCHEME]: [] }];
      case apigateway.AuthorizationType.COGNITO: return [{ [COGNITO_SCHEME]: [...new Set(auth.scopes)] }];
      default: return [{ [this.authorizers.get(auth.authorizer!)!.name]: [] }];
    }
  }

  private extendDefinition(definition: Record<string, any>): void {
    const routes = [...this.routes.values()];
    const schemes: Record<string, any> = {};
    if (routes.some(r => r.authorization.authorizationType === apigateway.AuthorizationType.IAM)) {
      schemes[IAM_SCHEME] = { 'type': 'apiKey', 'name': 'Authorization', 'in': 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
    }
    if (this.userPool) {
      schemes[COGNITO_SCHEME] = {
        'type': 'apiKey',
        'name': 'Authorization',
        'in': 'header',
        'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [this.userPool.userPoolArn] },
      };
    }
    for (const { name, scheme } of this.authorizers.values()) {
      schemes[name] = scheme;
    }
    if (Object.keys(schemes).length > 0) {
      definition.components = { ...definition.components };
      definition.components.securitySchemes = { ...definition.components.securitySchemes, ...schemes };
    }
    if (this.cors) {
      this.addPreflights(definition, this.cors);
    }
    this.resourcePolicy.render(definition);
  }

  private addPreflights(definition: Record<string, any>, cors: CorsOptions): void {
    for (const [path, operations] of Object.entries<Record<string, any>>(definition.paths ?? {})) {
      const methods = Object.keys(operations).map(k => (k === 'x-amazon-apigateway-any-method' ? 'ANY' : k.toUpperCase()));
      const parameters: string[] = (Object.values(operations)[0]?.parameters ?? [])
        .filter((p: any) => p.in === 'path').map((p: any) => p.name);
      operations.options = preflightOperation(cors, pascalRouteId('OPTIONS', path), parameters, methods);
    }
    const responses = definition['x-amazon-apigateway-gateway-responses'] ??= {};
    responses.DEFAULT_4XX ??= {};
    responses.DEFAULT_5XX ??= {};
    for (const response of Object.values<Record<string, any>>(responses)) {
      response.responseParameters = { ...response.responseParameters, ...gatewayResponseCorsHeaders(cors) };
    }
  }

}

/** The invocation URI of an existing authorizer function. */
function authorizerFunctionUri(fn: lambda.IFunction): string {
  return `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`;
}
