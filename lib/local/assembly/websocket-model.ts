/**
 * WebSocket APIs of a stage as the local server serves them, read from their `AWS::ApiGatewayV2::*`
 * resources (Api, Stage, Route, RouteResponse, Integration, IntegrationResponse, Authorizer).
 */
import type { StageApiIdentity } from './cloud-assembly';

/** An integration of a WebSocket route. */
export interface WebSocketIntegrationSpec {
  readonly id: string;
  /** 'AWS_PROXY', 'MOCK', 'AWS' (or 'HTTP', 'HTTP_PROXY', not served). */
  readonly type: string;
  readonly uri: string;
  /** The function's ARN of an AWS_PROXY Lambda integration. */
  readonly functionArn?: string;
  readonly requestTemplates: { [key: string]: string };
  readonly requestParameters: { [name: string]: string };
  /** Response templates of the integration response `$default`. */
  readonly responseTemplates: { [key: string]: string };
}

/** A route of a WebSocket API. */
export interface WebSocketRouteSpec {
  readonly routeKey: string;
  /** 'NONE', 'AWS_IAM' or 'CUSTOM' (only on $connect). */
  readonly authorizationType: string;
  readonly authorizerId?: string;
  readonly integrationId?: string;
  /** The route needs an API key of a usage plan of the stage. */
  readonly apiKeyRequired: boolean;
  /** A two-way route: it has a route response, so what the integration answers goes back to the client. */
  readonly twoWay: boolean;
}

/** A Lambda REQUEST authorizer of a WebSocket API. */
export interface WebSocketAuthorizerSpec {
  readonly id: string;
  readonly name: string;
  readonly functionArn: string;
  /** 'route.request.header.Auth', 'route.request.querystring.token'. */
  readonly identitySource: string[];
}

/** A stage of a WebSocket API. */
export interface WebSocketStageSpec {
  readonly name: string;
  readonly variables: { [name: string]: string };
  /** The stage's default route throttle (`DefaultRouteSettings`). */
  readonly throttle?: { rateLimit?: number; burstLimit?: number };
  /** Per-route throttles (`RouteSettings`), by route key. */
  readonly routeThrottles: { [routeKey: string]: { rateLimit?: number; burstLimit?: number } };
  /** Custom domain mappings (`AWS::ApiGatewayV2::ApiMapping`): '' for the root, or the mapping key. */
  readonly basePaths: Array<{ domainName: string; basePath: string }>;
}

/** A WebSocket API of the stage. */
export interface WebSocketApiSpec extends StageApiIdentity {
  /** E.g. '$request.body.action'. */
  readonly routeSelectionExpression: string;
  /** Where the API key comes from: '$request.header.x-api-key' or '$context.authorizer.usageIdentifierKey'. */
  readonly apiKeySelectionExpression: string;
  readonly stages: WebSocketStageSpec[];
  readonly routes: WebSocketRouteSpec[];
  readonly integrations: { [id: string]: WebSocketIntegrationSpec };
  readonly authorizers: { [id: string]: WebSocketAuthorizerSpec };
}

/** What the stage model hands to this reader (its resource lookup and intrinsic resolution). */
export interface WebSocketReader<F> {
  of(type: string): F[];
  props(f: F): Record<string, any>;
  physicalId(f: F): string;
  pathOf(f: F): string;
  account(f: F): string;
  region(f: F): string;
}

/** The function ARN inside `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`. */
export function lambdaArnOf(uri: string): string | undefined {
  return /:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
}

/** Reads one WebSocket API (`api` is its `AWS::ApiGatewayV2::Api`). */
export function readWebSocketApi<F>(reader: WebSocketReader<F>, api: F): WebSocketApiSpec {
  const p = reader.props(api);
  const id = reader.physicalId(api);
  const ofApi = (type: string) => reader.of(type).map(f => ({ f, p: reader.props(f) })).filter(r => r.p.ApiId === id);

  const responses = ofApi('AWS::ApiGatewayV2::IntegrationResponse');
  const integrations: Record<string, WebSocketIntegrationSpec> = {};
  for (const { f, p: ip } of ofApi('AWS::ApiGatewayV2::Integration')) {
    const integrationId = reader.physicalId(f);
    const uri = String(ip.IntegrationUri ?? '');
    const response = responses.find(r => r.p.IntegrationId === integrationId && r.p.IntegrationResponseKey === '$default');
    integrations[integrationId] = {
      id: integrationId,
      type: String(ip.IntegrationType ?? 'AWS_PROXY'),
      uri,
      functionArn: lambdaArnOf(uri),
      requestTemplates: ip.RequestTemplates ?? {},
      requestParameters: ip.RequestParameters ?? {},
      responseTemplates: response?.p.ResponseTemplates ?? {},
    };
  }

  const authorizers: Record<string, WebSocketAuthorizerSpec> = {};
  for (const { f, p: ap } of ofApi('AWS::ApiGatewayV2::Authorizer')) {
    const authorizerId = reader.physicalId(f);
    authorizers[authorizerId] = {
      id: authorizerId,
      name: String(ap.Name ?? authorizerId),
      functionArn: lambdaArnOf(String(ap.AuthorizerUri ?? '')) ?? '',
      identitySource: Array.isArray(ap.IdentitySource) ? ap.IdentitySource.map(String) : [],
    };
  }

  const routeResponses = ofApi('AWS::ApiGatewayV2::RouteResponse');
  const routes: WebSocketRouteSpec[] = ofApi('AWS::ApiGatewayV2::Route').map(({ f, p: rp }) => {
    const routeId = reader.physicalId(f);
    const target = typeof rp.Target === 'string' ? /^integrations\/(.+)$/.exec(rp.Target)?.[1] : undefined;
    return {
      routeKey: String(rp.RouteKey),
      authorizationType: String(rp.AuthorizationType ?? 'NONE'),
      authorizerId: typeof rp.AuthorizerId === 'string' ? rp.AuthorizerId : undefined,
      integrationId: target,
      apiKeyRequired: rp.ApiKeyRequired === true || rp.ApiKeyRequired === 'true',
      twoWay: routeResponses.some(r => r.p.RouteId === routeId),
    };
  });

  const mappings = ofApi('AWS::ApiGatewayV2::ApiMapping').map(m => m.p);
  const stages = ofApi('AWS::ApiGatewayV2::Stage').map(({ p: sp }) => ({
    name: String(sp.StageName),
    variables: sp.StageVariables ?? {},
    throttle: throttleOf(sp.DefaultRouteSettings),
    routeThrottles: Object.fromEntries(Object.entries<Record<string, unknown>>(sp.RouteSettings ?? {})
      .map(([key, settings]) => [key, throttleOf(settings)] as const)
      .filter((e): e is readonly [string, { rateLimit?: number; burstLimit?: number }] => e[1] !== undefined)),
    basePaths: mappings.filter(m => m.Stage === sp.StageName)
      .map(m => ({ domainName: String(m.DomainName ?? ''), basePath: typeof m.ApiMappingKey === 'string' ? m.ApiMappingKey : '' })),
  }));
  return {
    logicalId: String((api as { logicalId?: string }).logicalId ?? id),
    path: reader.pathOf(api),
    id,
    name: String(p.Name ?? reader.pathOf(api)),
    account: reader.account(api),
    region: reader.region(api),
    routeSelectionExpression: String(p.RouteSelectionExpression ?? '$request.body.action'),
    apiKeySelectionExpression: String(p.ApiKeySelectionExpression ?? '$request.header.x-api-key'),
    stages,
    routes,
    integrations,
    authorizers,
  };
}

function throttleOf(settings: Record<string, unknown> | undefined): { rateLimit?: number; burstLimit?: number } | undefined {
  if (!settings || (settings.ThrottlingRateLimit === undefined && settings.ThrottlingBurstLimit === undefined)) { return undefined; }
  const num = (v: unknown) => (v === undefined ? undefined : Number(v));
  return { rateLimit: num(settings.ThrottlingRateLimit), burstLimit: num(settings.ThrottlingBurstLimit) };
}
