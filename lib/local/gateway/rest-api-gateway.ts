import type { ApiStageSpec, PrincipalSpec, RestApiSpec } from '../assembly/stage-model';
import { evaluatePolicy, Decision } from '../auth/iam-policy';
import type { LambdaAuthorizers } from '../auth/lambda-authorizers';
import type { LocalUserPools } from '../auth/local-user-pools';
import { verifySigV4 } from '../auth/sigv4';
import type { InvokeOutcome } from '../lambda/function-pool';
import type { LocalCredentials } from '../local-secrets';
import { hasStandIn } from '../services/aws-stand-ins';
import type { UsagePlans } from '../traffic/usage-plans';
import { GatewayError, GatewayErrors, HttpResponse, renderGatewayError } from './gateway-responses';
import { clfTime, InvalidJsonBodyError } from '../../runtime/vtl';
import { awsServiceIntegration, httpIntegration, httpProxyIntegration, IntegrationRequest, mapIntegrationResponse, mockIntegration, requestTemplate, ServiceCall, serviceOf } from './integrations';
import { renderTemplate, TemplateInput } from './mapping-template';
import { CallerIdentity, GatewayRequest, MatchedRoute, proxyEvent, requestMaps } from './proxy-event';
import { readProxyResult } from './proxy-response';
import { RequestValidator } from './request-validator';
import { RouteTable } from './route-table';
import { functionArnOf, readRoutes, RouteSpec } from './routes';

/** A local IAM identity: a principal of the stage (or the one without grants) and its credentials. */
export interface LocalIdentity {
  readonly principal?: PrincipalSpec;
  /** The caller's ARN as AWS reports it, e.g. arn:aws:sts::111111111111:assumed-role/ops/local. */
  readonly callerArn: string;
  readonly principalArn: string;
  readonly account: string;
  readonly credentials: LocalCredentials;
}

/** What every API of the stage shares. */
export interface GatewayServices {
  readonly invoke: (functionArn: string, event: unknown, requestId: string) => Promise<InvokeOutcome | undefined>;
  readonly userPools: LocalUserPools;
  readonly usagePlans: UsagePlans;
  readonly authorizers: LambdaAuthorizers;
  /** The local stand-ins of AWS services (DynamoDB, SQS, EventBridge, Kinesis, Step Functions, S3). */
  readonly awsService: ServiceCall;
  readonly identityByAccessKey: (accessKeyId: string) => LocalIdentity | undefined;
  /** The most an integration may take (API Gateway: 29 seconds). */
  readonly maxIntegrationTimeoutMs: number;
  /** HTTP backends by origin: where integrations to that origin go instead. */
  readonly backends: { [origin: string]: string };
  /** Why a request got the answer it got (for the server's log). */
  readonly explain: (requestId: string, detail: string) => void;
}

/** Where on the local server the API is mounted. */
export interface Mount {
  /** The path below the mount (the API's own resource path space), e.g. '/items/1'. */
  readonly path: string;
  /** `event.path`: the path below the stage on the stage URL; the full path on a custom domain. */
  readonly eventPath: string;
  /** `requestContext.path`: '/dev/items/1' on the stage URL; the full path on a custom domain. */
  readonly contextPath: string;
  readonly domainName: string;
}

/**
 * One stage of one REST API, served as API Gateway serves it. A request goes through, in order:
 * the route (403 Missing Authentication Token when no resource/method matches), stage and method
 * throttling (429), authorization (IAM SigV4 with the caller's identity policies and the API's
 * resource policy, Cognito tokens, Lambda authorizers; 401/403), the API key and its usage plan
 * (403, 429), request validation (400), then the integration: Lambda proxy (502 on a function error or
 * a malformed result, 504 past the integration timeout), mock, HTTP and HTTP proxy. Errors use the
 * API's gateway responses.
 */
export class RestApiGateway {
  public readonly routes: RouteSpec[];
  /** Routes whose integration the local server does not serve (they answer 501), as warnings. */
  public readonly warnings: string[] = [];
  private readonly table = new RouteTable<RouteSpec>();
  private readonly validator: RequestValidator;

  constructor(public readonly api: RestApiSpec, public readonly stage: ApiStageSpec, private readonly services: GatewayServices) {
    this.routes = readRoutes(api);
    for (const route of this.routes) {
      this.table.add(route.method, route.path, route);
    }
    this.validator = new RequestValidator(api.body);
    for (const route of this.routes) {
      if (route.integration && !servedLocally(route.integration, services.backends)) {
        this.warnings.push(`${this.api.name}: ${route.method} ${route.path} answers 501: its ${describeIntegration(String(route.integration.type ?? '').toLowerCase(), route.integration)} is not served locally.`);
      }
    }
  }

  public async handle(request: GatewayRequest, mount: Mount): Promise<HttpResponse> {
    const maps = requestMaps(request);
    const contentType = header(maps.headers, 'content-type') ?? '';
    const match = this.table.match(request.method, mount.path);
    const route = match?.value;
    const matched: MatchedRoute = {
      apiId: this.api.id,
      accountId: this.api.account,
      stage: this.stage.name,
      resourcePath: route?.path ?? mount.path,
      path: mount.eventPath,
      contextPath: mount.contextPath,
      pathParameters: match?.pathParameters ?? {},
      stageVariables: this.stage.variables,
      domainName: mount.domainName,
      binaryMediaTypes: this.api.binaryMediaTypes,
    };
    const context: Record<string, any> = {
      requestId: request.requestId,
      extendedRequestId: request.requestId,
      apiId: this.api.id,
      accountId: this.api.account,
      stage: this.stage.name,
      resourcePath: matched.resourcePath,
      httpMethod: request.method,
      path: mount.contextPath,
      domainName: mount.domainName,
      requestTime: clfTime(request.requestTimeEpoch),
      requestTimeEpoch: request.requestTimeEpoch,
      protocol: 'HTTP/1.1',
      identity: { sourceIp: request.sourceIp, userAgent: header(maps.headers, 'user-agent') ?? '' },
    };
    const input: TemplateInput = {
      context,
      stageVariables: this.stage.variables,
      headers: maps.headers,
      query: maps.query,
      pathParameters: matched.pathParameters,
      body: request.body.toString('utf8'),
    };
    const fail = (error: GatewayError, detail?: string, status?: number): HttpResponse => {
      if (detail) { this.services.explain(request.requestId, detail); }
      return withGatewayHeaders(renderGatewayError(this.api.gatewayResponses, error, input, status), request.requestId);
    };

    if (!route) {
      return fail(GatewayErrors.missingAuthenticationToken(), `no route ${request.method} ${mount.path} in ${this.api.name}`);
    }
    const throttled = { apiId: this.api.id, stage: this.stage, resourcePath: route.path, method: route.method };
    if (this.services.usagePlans.stageThrottle(throttled, request.requestTimeEpoch)) {
      return fail(GatewayErrors.throttled(), 'stage or method throttle');
    }
    const methodArn = `arn:aws:execute-api:${this.api.region}:${this.api.account}:${this.api.id}/${this.stage.name}/${request.method}${mount.path.startsWith('/') ? mount.path : `/${mount.path}`}`;

    // Authorization, with the resource policy.
    let identity: CallerIdentity = {};
    let authorizer: Record<string, unknown> | undefined;
    let usageIdentifierKey: string | undefined;
    const auth = route.authorization;
    if (auth.kind === 'AWS_IAM') {
      const verdict = await verifySigV4(
        { method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery, headers: lowerHeaders(request.rawHeaders), body: request.body },
        { region: this.api.region, service: 'execute-api' },
        id => this.services.identityByAccessKey(id)?.credentials,
        new Date(request.requestTimeEpoch),
      );
      if (!verdict.ok) {
        return verdict.missing
          ? fail(GatewayErrors.missingAuthenticationToken(), 'IAM route without a signature')
          : fail(GatewayErrors.invalidSignature(verdict.message, verdict.errorType), verdict.message);
      }
      const caller = this.services.identityByAccessKey(verdict.accessKeyId)!;
      const request_ = { action: 'execute-api:Invoke', resource: methodArn, principalArn: caller.principalArn, principalAccount: caller.account, context: conditionContext(request, caller) };
      const identityDecision = evaluatePolicy(caller.principal?.statements ?? [], request_);
      const resourceDecision = this.resourcePolicy(request_);
      const denied = identityDecision === 'Deny' || resourceDecision === 'Deny';
      if (denied || (identityDecision !== 'Allow' && resourceDecision !== 'Allow')) {
        return fail(GatewayErrors.accessDenied(`User: ${caller.callerArn} is not authorized to perform: execute-api:Invoke on resource: ${methodArn}${denied ? ' with an explicit deny' : ''}`),
          `${caller.callerArn}: identity policy ${identityDecision ?? 'no match'}, resource policy ${resourceDecision ?? 'no match'}`);
      }
      const userId = `${caller.principal?.kind === 'user' ? 'AIDA' : 'AROA'}LOCAL${caller.principalArn.length}:local`;
      identity = { accessKey: verdict.accessKeyId, accountId: caller.account, caller: userId, user: userId, userArn: caller.callerArn };
    } else {
      if (this.api.policy) {
        const decision = this.resourcePolicy({ action: 'execute-api:Invoke', resource: methodArn, principalArn: '*', context: conditionContext(request) });
        if (decision !== 'Allow') {
          return fail(GatewayErrors.accessDenied(`User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${methodArn}${decision === 'Deny' ? ' with an explicit deny' : ''}`),
            `resource policy ${decision ?? 'does not allow'} for ${request.sourceIp}`);
        }
      }
      if (auth.kind === 'COGNITO_USER_POOLS') {
        const verdict = this.services.userPools.verify(header(maps.headers, 'authorization'), auth.providerArns, auth.scopes);
        if (!verdict.ok) {
          return fail(GatewayErrors.unauthorized(), `Cognito: ${verdict.reason}`);
        }
        authorizer = { claims: verdict.claims };
      } else if (auth.kind === 'CUSTOM') {
        const verdict = await this.services.authorizers.authorize(auth.scheme, {
          methodArn,
          resource: route.path,
          path: mount.eventPath,
          httpMethod: request.method,
          headers: maps.headers,
          multiValueHeaders: maps.multiValueHeaders,
          query: maps.query,
          multiValueQuery: maps.multiValueQuery,
          pathParameters: matched.pathParameters,
          stageVariables: this.stage.variables,
          requestContext: (proxyEvent(request, matched) as any).requestContext,
        }, request.requestTimeEpoch);
        if (!verdict.ok) {
          return fail(verdict.error, `authorizer ${auth.scheme.name}: ${verdict.detail}`);
        }
        authorizer = verdict.authorizer;
        usageIdentifierKey = verdict.usageIdentifierKey;
      }
    }
    context.authorizer = authorizer;
    Object.assign(context.identity, identity);

    // API key and usage plan.
    if (route.apiKeyRequired) {
      const value = this.api.apiKeySource === 'AUTHORIZER' ? usageIdentifierKey : header(maps.headers, 'x-api-key');
      const admitted = this.services.usagePlans.admit(throttled, value, request.requestTimeEpoch);
      if (admitted.refusal === 'INVALID_API_KEY') {
        return fail(GatewayErrors.invalidApiKey(), value === undefined ? 'no API key' : 'unknown or disabled API key, or not in a plan of this stage');
      }
      if (admitted.refusal === 'THROTTLED') { return fail(GatewayErrors.throttled(), `usage plan throttle of key ${admitted.key?.name}`); }
      if (admitted.refusal === 'QUOTA_EXCEEDED') { return fail(GatewayErrors.quotaExceeded(), `quota of key ${admitted.key?.name}`); }
      identity = { ...identity, apiKey: admitted.key!.value, apiKeyId: admitted.key!.id };
      context.identity.apiKey = admitted.key!.value;
      context.identity.apiKeyId = admitted.key!.id;
    }

    // Request validation.
    if (route.validation) {
      const invalid = this.validator.validate(route.validation, { query: maps.query, headers: maps.headers, contentType, body: request.body });
      if (invalid) { return fail(invalid, `${invalid.message} ${invalid.validationErrorString ?? ''}`.trim()); }
    }

    const integration = route.integration;
    if (!integration) {
      return fail(GatewayErrors.configuration(), `route ${route.method} ${route.path} has no integration`);
    }
    const timeoutMs = Math.min(Number(integration.timeoutInMillis ?? this.services.maxIntegrationTimeoutMs), this.services.maxIntegrationTimeoutMs);
    const type = String(integration.type ?? '').toLowerCase();
    const integrationRequest: IntegrationRequest = { method: request.method, input, contentType, rawQuery: request.rawQuery, rawHeaders: request.rawHeaders, body: request.body, timeoutMs, backends: this.services.backends };
    const routeName = `${route.method} ${route.path}`;
    let result: HttpResponse | GatewayError;
    try {
      const served = await this.integrate(type, integration, integrationRequest, request, matched, { identity, authorizer }, timeoutMs);
      if (served === undefined) {
        const what = describeIntegration(type, integration);
        const detail = `${what} of ${routeName} (${this.api.name}) is not served by the local server; see "Differs from AWS" in the README`;
        return fail(GatewayErrors.notServedLocally(detail), detail, 501);
      }
      result = served;
    } catch (err) {
      if (err instanceof InvalidJsonBodyError) {
        return fail(GatewayErrors.badRequestJson(err.message), `${routeName}: ${err.message}`);
      }
      return fail(GatewayErrors.configuration(), `${routeName}: mapping template or integration failed: ${(err as Error).message}`);
    }
    if (!('statusCode' in result)) {
      return fail(result, `integration: ${result.message}`, result.type === 'DEFAULT_5XX' ? 502 : undefined);
    }
    return withGatewayHeaders(result, request.requestId);
  }

  /** Runs the route's integration; `undefined` when the local server does not serve its kind. */
  private async integrate(type: string, integration: Record<string, any>, integrationRequest: IntegrationRequest, request: GatewayRequest,
    matched: MatchedRoute, caller: { identity: CallerIdentity; authorizer?: Record<string, unknown> }, timeoutMs: number): Promise<HttpResponse | GatewayError | undefined> {
    if (!servedLocally(integration, this.services.backends)) { return undefined; }
    switch (type) {
      case 'aws_proxy': {
        const event = proxyEvent(request, matched, caller);
        return this.lambdaProxy(functionArnOf(String(integration.uri ?? '')), event, request.requestId, timeoutMs);
      }
      case 'mock': return mockIntegration(integration, integrationRequest);
      case 'http': return httpIntegration(integration, integrationRequest);
      case 'http_proxy': return httpProxyIntegration(integration, integrationRequest);
      case 'aws':
        if (LAMBDA_URI.test(String(integration.uri ?? ''))) {
          return this.lambdaCustom(integration, integrationRequest, request.requestId);
        }
        return awsServiceIntegration(integration, integrationRequest, request.requestId, this.services.awsService);
      default:
        return undefined;
    }
  }

  private async lambdaProxy(functionArn: string, event: unknown, requestId: string, timeoutMs: number): Promise<HttpResponse | GatewayError> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
    const outcome = await Promise.race([this.services.invoke(functionArn, event, requestId), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.services.explain(requestId, `the integration took longer than ${timeoutMs} ms`);
      return GatewayErrors.integrationTimeout();
    }
    if (!outcome) {
      this.services.explain(requestId, `the function ${functionArn} is not in the stage`);
      return GatewayErrors.configuration();
    }
    if (outcome.error) {
      this.services.explain(requestId, `Lambda execution failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
      return GatewayErrors.badGateway();
    }
    const result = readProxyResult(outcome.payload);
    if (!result.ok) {
      this.services.explain(requestId, `Malformed Lambda proxy response: ${result.reason}`);
      return GatewayErrors.badGateway();
    }
    const headers = result.headers;
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) {
      headers.push(['Content-Type', 'application/json']);
    }
    return { statusCode: result.statusCode, headers, body: result.body };
  }

  /**
   * A Lambda (non-proxy) integration: the request template (or the JSON body) is the event; the
   * function's error message, or '' on success, selects the integration response, whose template maps
   * the function's result (or its error object).
   */
  private async lambdaCustom(integration: Record<string, any>, request: IntegrationRequest, requestId: string): Promise<HttpResponse | GatewayError> {
    const selected = requestTemplate(integration, request.contentType);
    if ('type' in selected) { return selected; }
    const text = selected.template !== undefined ? renderTemplate(selected.template, request.input).body : request.body.toString('utf8');
    let event: unknown;
    try {
      event = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      event = text;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), request.timeoutMs); });
    const outcome = await Promise.race([this.services.invoke(functionArnOf(String(integration.uri)), event, requestId), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') { return GatewayErrors.integrationTimeout(); }
    if (!outcome) { return GatewayErrors.configuration(); }
    const selector = outcome.error ? outcome.error.errorMessage : '';
    const payload = outcome.error
      ? { errorMessage: outcome.error.errorMessage, errorType: outcome.error.errorType, stackTrace: outcome.error.trace ?? [] }
      : outcome.payload;
    const body = Buffer.from(payload === undefined ? 'null' : JSON.stringify(payload));
    return mapIntegrationResponse(integration, selector, { statusCode: 200, headers: [['Content-Type', 'application/json']], body }, request.input);
  }

  private resourcePolicy(request: Parameters<typeof evaluatePolicy>[1]): Decision {
    const statements = this.api.policy?.Statement;
    if (!statements) { return undefined; }
    const prefix = `arn:aws:execute-api:${this.api.region}:${this.api.account}:${this.api.id}/`;
    const expanded = (Array.isArray(statements) ? statements : [statements]).map((s: any) => ({
      ...s,
      ...(s.Resource !== undefined ? { Resource: expand(s.Resource, prefix) } : {}),
      ...(s.NotResource !== undefined ? { NotResource: expand(s.NotResource, prefix) } : {}),
    }));
    return evaluatePolicy(expanded, request);
  }
}

/** 'execute-api:/dev/GET/items' → 'arn:aws:execute-api:<region>:<account>:<api id>/dev/GET/items'. */
function expand(resource: string | string[], prefix: string): string[] {
  return (Array.isArray(resource) ? resource : [resource]).map(r => String(r).replace(/^execute-api:\//, prefix));
}

function conditionContext(request: GatewayRequest, caller?: LocalIdentity): Record<string, string | undefined> {
  return {
    'aws:SourceIp': request.sourceIp,
    'aws:SecureTransport': 'false',
    'aws:CurrentTime': new Date(request.requestTimeEpoch).toISOString(),
    'aws:EpochTime': String(Math.floor(request.requestTimeEpoch / 1000)),
    'aws:PrincipalArn': caller?.principalArn,
    'aws:PrincipalAccount': caller?.account,
    'aws:userid': caller ? `local:${caller.principalArn}` : undefined,
  };
}

const LAMBDA_URI = /:lambda:path\/2015-03-31\/functions\//;

/**
 * Whether the local server serves an integration: Lambda (proxy or not), mock, HTTP and HTTP_PROXY
 * (a VPC link only when `backends` maps its origin), and AWS services with a local stand-in.
 */
export function servedLocally(integration: Record<string, any>, backends: { [origin: string]: string }): boolean {
  if (String(integration.connectionType ?? '').toUpperCase() === 'VPC_LINK' && !hasBackend(integration, backends)) {
    return false; // the load balancer behind the VPC link is not reachable from here
  }
  const uri = String(integration.uri ?? '');
  switch (String(integration.type ?? '').toLowerCase()) {
    case 'aws_proxy': return LAMBDA_URI.test(uri);
    case 'mock': case 'http': case 'http_proxy': return true;
    case 'aws': {
      if (LAMBDA_URI.test(uri)) { return true; }
      const service = serviceOf(uri);
      return service !== undefined && hasStandIn(service.service, service.form, service.target, String(integration.httpMethod ?? 'POST'));
    }
    default: return false;
  }
}

/** Whether `backends` sends the integration's origin elsewhere. */
function hasBackend(integration: Record<string, any>, backends: { [origin: string]: string }): boolean {
  try {
    return new URL(String(integration.uri ?? '').replace(/[{}]/g, '')).origin in backends;
  } catch {
    return false;
  }
}

/** How the README and the error name an integration: 'AWS service integration states:action/StartSyncExecution'. */
function describeIntegration(type: string, integration: Record<string, any>): string {
  if (String(integration.connectionType ?? '').toUpperCase() === 'VPC_LINK') {
    return `VPC link integration (${type.toUpperCase()} to ${String(integration.uri)}; serve it with the backends option or --backend <origin>=<local origin>)`;
  }
  const service = serviceOf(String(integration.uri ?? ''));
  if (service) { return `AWS service integration ${service.service}:${service.form}/${service.form === 'action' ? service.target : service.target.split('/')[0]}`; }
  return `integration type ${type ? type.toUpperCase() : '(none)'}${integration.uri ? ` to ${String(integration.uri)}` : ''}`;
}

function withGatewayHeaders(response: HttpResponse, requestId: string): HttpResponse {
  return {
    ...response,
    headers: [
      ...response.headers,
      ['x-amzn-RequestId', requestId],
      ['x-amz-apigw-id', Buffer.from(requestId.replace(/-/g, '').slice(0, 12), 'hex').toString('base64').slice(0, 16)],
    ],
  };
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find(k => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function lowerHeaders(raw: Array<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of raw) {
    const key = name.toLowerCase();
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}
