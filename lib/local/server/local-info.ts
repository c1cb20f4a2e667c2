import { LocalStage } from './local-stage';

/** A route of an API, as `/_local/info` lists it. */
export interface LocalRouteInfo {
  readonly method: string;
  readonly path: string;
  /** NONE, AWS_IAM, COGNITO_USER_POOLS or CUSTOM. */
  readonly authorization: string;
  /** Scopes a Cognito route requires (one of). */
  readonly scopes?: string[];
  /** The Lambda authorizer of a CUSTOM route. */
  readonly authorizer?: string;
  readonly apiKeyRequired: boolean;
  /** aws_proxy, mock, http, http_proxy, aws. */
  readonly integration: string;
  /** The function of a Lambda integration. */
  readonly function?: string;
}

/** An API the server serves. */
export interface LocalApiEntry {
  readonly name: string;
  readonly id: string;
  /** The construct path of the RestApi. */
  readonly path: string;
  readonly stage: string;
  /** The URL to call, e.g. http://127.0.0.1:3000/v1. */
  readonly url: string;
  readonly routes: LocalRouteInfo[];
}

/** A principal with local credentials. */
export interface LocalPrincipalInfo {
  /** The IAM ARN of the role or user ('user/local-no-grant' for the principal with no grant). */
  readonly arn: string;
  /** What AWS reports as the caller (assumed-role ARN for roles). */
  readonly callerArn: string;
  readonly path?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The execute-api resources its policies allow (empty for the no-grant principal). */
  readonly grants: string[];
}

/** What `GET /_local/info` answers. */
export interface LocalInfo {
  readonly url: string;
  readonly stage: string;
  readonly account: string;
  readonly region: string;
  readonly apis: LocalApiEntry[];
  readonly functions: Array<{ name: string; arn: string; path: string; handler: string; runtime: string; timeoutSeconds: number; memoryMb: number; warmInstances: number; unsupported?: string }>;
  readonly apiKeys: Array<{ name: string; id: string; value: string; enabled: boolean; usagePlans: string[] }>;
  readonly usagePlans: Array<{ name: string; id: string; throttle?: { rateLimit?: number; burstLimit?: number }; quota?: { limit: number; period: string } }>;
  readonly iam: { readonly region: string; readonly principals: LocalPrincipalInfo[] };
  readonly userPools: Array<{ id: string; path: string; issuer: string; jwksUri: string; clients: Array<{ id: string; name: string }>; scopes: string[] }>;
  readonly tables: Array<{ name: string; path: string }>;
  readonly dynamodbEndpoint: string;
  /** How to get tokens. */
  readonly tokenEndpoint: string;
  readonly warnings: string[];
}

/** The machine-readable description of what the server serves. */
export function describeStage(stage: LocalStage, url: string, dynamodbEndpoint: string): LocalInfo {
  const model = stage.model;
  return {
    url,
    stage: model.stage,
    account: model.account,
    region: model.region,
    apis: stage.mounts.map(m => ({
      name: m.gateway.api.name,
      id: m.gateway.api.id,
      path: m.gateway.api.path,
      stage: m.gateway.stage.name,
      url: `${url}${m.prefix}`,
      routes: m.gateway.routes.map(r => ({
        method: r.method,
        path: r.path,
        authorization: r.authorization.kind,
        ...(r.authorization.kind === 'COGNITO_USER_POOLS' && r.authorization.scopes.length > 0 ? { scopes: r.authorization.scopes } : {}),
        ...(r.authorization.kind === 'CUSTOM' ? { authorizer: r.authorization.scheme.name } : {}),
        apiKeyRequired: r.apiKeyRequired,
        integration: String(r.integration?.type ?? 'none').toLowerCase(),
        ...(String(r.integration?.type).toLowerCase() === 'aws_proxy'
          ? { function: stage.functionSpec(String(r.integration?.uri ?? '').replace(/^.*\/functions\/(.+)\/invocations$/, '$1'))?.name } : {}),
      })),
    })),
    functions: model.functions.map(f => ({
      name: f.name, arn: f.arn, path: f.path, handler: f.handler, runtime: f.runtime, timeoutSeconds: f.timeoutSeconds, memoryMb: f.memoryMb,
      warmInstances: stage.instances()[f.name] ?? 0, ...(f.unsupported ? { unsupported: f.unsupported } : {}),
    })),
    apiKeys: stage.usagePlans.keys.map(k => ({ name: k.name, id: k.id, value: k.value, enabled: k.enabled, usagePlans: k.usagePlans })),
    usagePlans: model.usagePlans.map(p => ({ name: p.name, id: p.id, throttle: p.throttle, quota: p.quota ? { limit: p.quota.limit, period: p.quota.period } : undefined })),
    iam: {
      region: model.region,
      principals: stage.invokers().map(i => ({
        arn: i.principalArn,
        callerArn: i.callerArn,
        path: i.principal?.path,
        accessKeyId: i.credentials.accessKeyId,
        secretAccessKey: i.credentials.secretAccessKey,
        grants: (i.principal?.statements ?? [])
          .filter(s => s.Effect === 'Allow' && [s.Action ?? []].flat().some(a => /^(execute-api:(Invoke|\*)|\*)$/i.test(String(a))))
          .flatMap(s => [s.Resource ?? []].flat().map(String)),
      })),
    },
    userPools: model.userPools.map(p => ({
      id: p.id,
      path: p.path,
      issuer: stage.userPools.issuer(p),
      jwksUri: `${url}/_local/cognito/${p.id}/.well-known/jwks.json`,
      clients: p.clients.map(c => ({ id: c.id, name: c.name })),
      scopes: p.scopes,
    })),
    tables: model.tables.map(t => ({ name: t.name, path: t.path })),
    dynamodbEndpoint,
    tokenEndpoint: `${url}/_local/token`,
    warnings: stage.warnings,
  };
}
