import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assetFile, CfnResource, readStage, StageApiIdentity, StageAssembly, StageTemplate } from './cloud-assembly';
import { StageResolver } from './intrinsics';
import { readWebSocketApi, WebSocketApiSpec, WebSocketReader } from './websocket-model';

export type { WebSocketApiSpec } from './websocket-model';

/** A Lambda function of the stage. */
export interface FunctionSpec {
  readonly logicalId: string;
  /** The construct path, e.g. 'Dev/Api/ItemsApi/GetItemsFunction'. */
  readonly path: string;
  readonly name: string;
  readonly arn: string;
  readonly handler: string;
  readonly runtime: string;
  /** The directory holding the function's code (an asset of the assembly, or inline code written out). */
  readonly codeDirectory?: string;
  /** Why the function cannot run locally, when it cannot (a container image, a non-Node.js runtime). */
  readonly unsupported?: string;
  readonly environment: { [name: string]: string };
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly roleArn?: string;
  readonly reservedConcurrency?: number;
}

/** A Lambda function subscribed to an SQS queue (an `AWS::Lambda::EventSourceMapping`). */
export interface QueueSubscriptionSpec {
  /** The queue's name (the last part of its ARN). */
  readonly queueName: string;
  readonly queueArn: string;
  /** The function's name or ARN, as the mapping names it. */
  readonly functionName: string;
  /** `ReportBatchItemFailures` is on: the function answers `{ batchItemFailures }`. */
  readonly reportBatchItemFailures: boolean;
  readonly enabled: boolean;
}

/** A DynamoDB table of the stage. */
export interface TableSpec {
  readonly logicalId: string;
  readonly path: string;
  readonly name: string;
  readonly arn: string;
  /** The CreateTable request for DynamoDB (key schema, attributes, indexes, streams). */
  readonly createTable: Record<string, unknown>;
  readonly ttlAttribute?: string;
}

/** One stage of a REST API (its deployment). */
export interface ApiStageSpec {
  readonly name: string;
  readonly variables: { [name: string]: string };
  /** Method settings: `resourcePath` ('/*' or '/~1items~1{id}'), `httpMethod` ('*' or 'GET'), throttles. */
  readonly methodSettings: Array<{ resourcePath: string; httpMethod: string; rateLimit?: number; burstLimit?: number }>;
  readonly rateLimit?: number;
  readonly burstLimit?: number;
  /** Base paths of custom domains mapped to this stage: '' for the root, 'v1', 'orders/v2'. */
  readonly basePaths: Array<{ domainName: string; basePath: string }>;
}

/** A REST API of the stage, defined by its OpenAPI body. */
export interface RestApiSpec extends StageApiIdentity {
  /** The OpenAPI (or Swagger 2) body with every intrinsic resolved. */
  readonly body: Record<string, any>;
  /** The resource policy. */
  readonly policy?: { Statement?: any[] };
  readonly binaryMediaTypes: string[];
  readonly apiKeySource: string;
  readonly stages: ApiStageSpec[];
  /** Gateway responses by type, from the body and from AWS::ApiGateway::GatewayResponse resources. */
  readonly gatewayResponses: { [type: string]: GatewayResponseSpec };
  /** Whether clients can reach the API only through a custom domain. */
  readonly disableExecuteApiEndpoint: boolean;
}

/** A gateway response: status, headers and templates of an error API Gateway answers itself. */
export interface GatewayResponseSpec {
  readonly statusCode?: string;
  readonly responseParameters?: { [name: string]: string };
  readonly responseTemplates?: { [contentType: string]: string };
}

/** An API key of the stage. */
export interface ApiKeySpec {
  readonly logicalId: string;
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** The value given in the template, if any (else the local server generates one). */
  readonly value?: string;
}

/** A usage plan of the stage. */
export interface UsagePlanSpec {
  readonly logicalId: string;
  readonly id: string;
  readonly name: string;
  readonly throttle?: { rateLimit?: number; burstLimit?: number };
  readonly quota?: { limit: number; period: string; offset: number };
  readonly apiStages: Array<{ apiId: string; stage: string; throttle: { [resourcePathAndMethod: string]: { rateLimit?: number; burstLimit?: number } } }>;
  readonly keyIds: string[];
}

/** A Cognito user pool of the stage. */
export interface UserPoolSpec {
  readonly logicalId: string;
  readonly path: string;
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly clients: Array<{ id: string; name: string; accessTokenMinutes: number; idTokenMinutes: number; scopes: string[] }>;
  /** Full scope names of the pool's resource servers, e.g. 'api/items.write'. */
  readonly scopes: string[];
}

/** An IAM principal (role or user) of the stage with its identity policies. */
export interface PrincipalSpec {
  readonly logicalId: string;
  readonly path: string;
  readonly kind: 'role' | 'user';
  readonly name: string;
  readonly arn: string;
  readonly account: string;
  readonly statements: PolicyStatement[];
}

/** An IAM policy statement with intrinsics resolved. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: { [operator: string]: { [key: string]: unknown } };
}

/** Everything of one stage the local server serves, read from the cloud assembly. */
export interface StageModel {
  readonly stage: string;
  readonly assemblyDirectory: string;
  readonly account: string;
  readonly region: string;
  readonly functions: FunctionSpec[];
  readonly tables: TableSpec[];
  readonly restApis: RestApiSpec[];
  /** The WebSocket APIs (`AWS::ApiGatewayV2::Api` of protocol WEBSOCKET). */
  readonly webSocketApis: WebSocketApiSpec[];
  readonly apiKeys: ApiKeySpec[];
  readonly usagePlans: UsagePlanSpec[];
  readonly userPools: UserPoolSpec[];
  readonly principals: PrincipalSpec[];
  /** Functions fed by SQS queues of the stage. */
  readonly queueSubscriptions: QueueSubscriptionSpec[];
  /** Resources the local server does not serve, with the reason, for the startup report. */
  readonly warnings: string[];
}

/**
 * Reads the stage `stage` of the cloud assembly in `assemblyDir` into what the local server serves.
 * Inline function code (`Code.ZipFile`) is written to `scratchDir` (a temp directory by default).
 */
export function loadStageModel(assemblyDir: string, stage?: string, scratchDir?: string): StageModel {
  const assembly = readStage(assemblyDir, stage);
  return new ModelBuilder(assembly, scratchDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-api-inline-'))).build();
}

type Found = { template: StageTemplate; logicalId: string; resource: CfnResource };

class ModelBuilder {
  private readonly resolver: StageResolver;
  private readonly warnings: string[] = [];

  constructor(private readonly assembly: StageAssembly, private readonly scratchDir: string) {
    this.resolver = new StageResolver(assembly);
  }

  public build(): StageModel {
    const first = this.assembly.templates[0];
    const restApis = this.of('AWS::ApiGateway::RestApi').map(f => this.restApi(f)).filter((a): a is RestApiSpec => a !== undefined);
    this.attachBasePaths(restApis);
    const webSocketApis: WebSocketApiSpec[] = [];
    for (const f of this.of('AWS::ApiGatewayV2::Api')) {
      const p = this.props(f);
      if (String(p.ProtocolType ?? 'HTTP') === 'WEBSOCKET') {
        webSocketApis.push(readWebSocketApi(this.webSocketReader(), f));
      } else {
        this.warnings.push(`HTTP API ${String(p.Name ?? this.pathOf(f))} (${this.pathOf(f)}) is not served locally: the local server serves REST and WebSocket APIs.`);
      }
    }
    return {
      stage: this.assembly.stage,
      assemblyDirectory: this.assembly.directory,
      account: first.account,
      region: first.region,
      functions: this.of('AWS::Lambda::Function').map(f => this.fn(f)),
      tables: this.of('AWS::DynamoDB::Table').map(f => this.table(f)),
      restApis,
      webSocketApis,
      apiKeys: this.of('AWS::ApiGateway::ApiKey').map(f => this.apiKey(f)),
      usagePlans: this.usagePlans(),
      userPools: this.userPools(),
      principals: this.principals(),
      queueSubscriptions: this.queueSubscriptions(),
      warnings: this.warnings,
    };
  }

  private webSocketReader(): WebSocketReader<Found> {
    return {
      of: type => this.of(type),
      props: f => this.props(f),
      physicalId: f => this.resolver.physicalId(f.template, f.logicalId),
      pathOf: f => this.pathOf(f),
      account: f => f.template.account,
      region: f => f.template.region,
    };
  }

  private queueSubscriptions(): QueueSubscriptionSpec[] {
    return this.of('AWS::Lambda::EventSourceMapping').flatMap(f => {
      const p = this.props(f);
      const arn = typeof p.EventSourceArn === 'string' ? p.EventSourceArn : '';
      if (!/^arn:[^:]+:sqs:/.test(arn)) { return []; }
      return [{
        queueName: arn.split(':').pop() ?? '',
        queueArn: arn,
        functionName: String(p.FunctionName ?? ''),
        reportBatchItemFailures: Array.isArray(p.FunctionResponseTypes) && p.FunctionResponseTypes.includes('ReportBatchItemFailures'),
        enabled: p.Enabled !== false && p.Enabled !== 'false',
      }];
    });
  }

  private of(type: string): Found[] {
    const out: Found[] = [];
    for (const template of this.assembly.templates) {
      for (const [logicalId, resource] of Object.entries(template.template.Resources ?? {})) {
        if (resource.Type === type && this.exists(template, resource)) {
          out.push({ template, logicalId, resource });
        }
      }
    }
    return out;
  }

  private exists(template: StageTemplate, resource: CfnResource): boolean {
    if (!resource.Condition) { return true; }
    return Boolean(this.resolver.resolve(template, { Condition: resource.Condition }));
  }

  private props(f: Found): Record<string, any> {
    return this.resolver.resolve(f.template, f.resource.Properties ?? {});
  }

  private pathOf(f: Found): string {
    const cdkPath = f.resource.Metadata?.['aws:cdk:path'];
    return typeof cdkPath === 'string' ? cdkPath.replace(/(\/Resource)+$/, '') : `${f.template.displayName}/${f.logicalId}`;
  }

  private fn(f: Found): FunctionSpec {
    const p = this.props(f);
    const name = this.resolver.physicalId(f.template, f.logicalId);
    const runtime = String(p.Runtime ?? '');
    let codeDirectory: string | undefined;
    let unsupported: string | undefined;
    if (p.Code?.ZipFile !== undefined) {
      codeDirectory = path.join(this.scratchDir, name);
      fs.mkdirSync(codeDirectory, { recursive: true });
      fs.writeFileSync(path.join(codeDirectory, runtime.startsWith('python') ? 'index.py' : 'index.js'), String(p.Code.ZipFile));
    } else if (p.Code?.ImageUri !== undefined || p.PackageType === 'Image') {
      unsupported = 'it is a container image, and the local server runs functions without Docker';
    } else {
      codeDirectory = assetFile(f.template, f.resource, 'Code');
      if (!codeDirectory || !fs.existsSync(codeDirectory)) {
        unsupported = 'its code is not in the cloud assembly (synthesized with bundling skipped?)';
        codeDirectory = undefined;
      } else if (!fs.statSync(codeDirectory).isDirectory()) {
        unsupported = `its code asset ${codeDirectory} is a file, not a directory`;
      }
    }
    if (!unsupported && !/^nodejs/.test(runtime)) {
      unsupported = `its runtime ${runtime || '(none)'} is not Node.js`;
    }
    if (unsupported) {
      this.warnings.push(`Function ${this.pathOf(f)} (${name}) cannot run locally: ${unsupported}. Its routes answer 502.`);
    }
    const environment: Record<string, string> = {};
    for (const [k, v] of Object.entries<unknown>(p.Environment?.Variables ?? {})) {
      environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return {
      logicalId: f.logicalId,
      path: this.pathOf(f),
      name,
      arn: this.resolver.attribute(f.template, f.logicalId, 'Arn'),
      handler: String(p.Handler ?? 'index.handler'),
      runtime,
      codeDirectory,
      unsupported,
      environment,
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      roleArn: typeof p.Role === 'string' ? p.Role : undefined,
      reservedConcurrency: p.ReservedConcurrentExecutions !== undefined ? Number(p.ReservedConcurrentExecutions) : undefined,
    };
  }

  private table(f: Found): TableSpec {
    const p = this.props(f);
    const name = this.resolver.physicalId(f.template, f.logicalId);
    const throughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
    const index = (i: any) => ({
      IndexName: i.IndexName,
      KeySchema: i.KeySchema,
      Projection: i.Projection ?? { ProjectionType: 'ALL' },
      ...(p.BillingMode === 'PAY_PER_REQUEST' ? {} : { ProvisionedThroughput: i.ProvisionedThroughput ?? throughput }),
    });
    const createTable: Record<string, unknown> = {
      TableName: name,
      AttributeDefinitions: p.AttributeDefinitions,
      KeySchema: p.KeySchema,
      ...(p.BillingMode === 'PAY_PER_REQUEST' ? { BillingMode: 'PAY_PER_REQUEST' } : { ProvisionedThroughput: p.ProvisionedThroughput ?? throughput }),
      ...(p.GlobalSecondaryIndexes?.length ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes.map(index) } : {}),
      ...(p.LocalSecondaryIndexes?.length ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes.map((i: any) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection })) } : {}),
      ...(p.StreamSpecification ? { StreamSpecification: { StreamEnabled: true, StreamViewType: p.StreamSpecification.StreamViewType } } : {}),
    };
    return {
      logicalId: f.logicalId,
      path: this.pathOf(f),
      name,
      arn: this.resolver.attribute(f.template, f.logicalId, 'Arn'),
      createTable,
      ttlAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined,
    };
  }

  private restApi(f: Found): RestApiSpec | undefined {
    const p = this.props(f);
    const id = this.resolver.physicalId(f.template, f.logicalId);
    if (!p.Body || typeof p.Body !== 'object') {
      this.warnings.push(`REST API ${this.pathOf(f)} has no inline OpenAPI body (BodyS3Location or AWS::ApiGateway::Method resources): not served.`);
      return undefined;
    }
    const body = p.Body;
    const gatewayResponses: Record<string, GatewayResponseSpec> = { ...(body['x-amazon-apigateway-gateway-responses'] ?? {}) };
    for (const g of this.of('AWS::ApiGateway::GatewayResponse')) {
      const gp = this.props(g);
      if (gp.RestApiId === id) {
        gatewayResponses[gp.ResponseType] = { statusCode: gp.StatusCode, responseParameters: gp.ResponseParameters, responseTemplates: gp.ResponseTemplates };
      }
    }
    const stages: ApiStageSpec[] = this.of('AWS::ApiGateway::Stage')
      .map(s => this.props(s))
      .filter(s => s.RestApiId === id)
      .map(s => {
        const settings = (s.MethodSettings ?? []).map((m: any) => ({
          resourcePath: m.ResourcePath ?? '/*', httpMethod: m.HttpMethod ?? '*', rateLimit: m.ThrottlingRateLimit, burstLimit: m.ThrottlingBurstLimit,
        }));
        const stageWide = settings.find((m: any) => m.resourcePath === '/*' && m.httpMethod === '*');
        return { name: String(s.StageName), variables: s.Variables ?? {}, methodSettings: settings, rateLimit: stageWide?.rateLimit, burstLimit: stageWide?.burstLimit, basePaths: [] };
      });
    const policy = typeof p.Policy === 'string' ? JSON.parse(p.Policy) : p.Policy;
    return {
      logicalId: f.logicalId,
      path: this.pathOf(f),
      id,
      name: String(p.Name ?? body.info?.title ?? f.logicalId),
      account: f.template.account,
      region: f.template.region,
      body,
      policy: policy ?? body['x-amazon-apigateway-policy'],
      binaryMediaTypes: p.BinaryMediaTypes ?? body['x-amazon-apigateway-binary-media-types'] ?? [],
      apiKeySource: p.ApiKeySourceType ?? body['x-amazon-apigateway-api-key-source'] ?? 'HEADER',
      stages,
      gatewayResponses,
      disableExecuteApiEndpoint: Boolean(p.DisableExecuteApiEndpoint ?? body['x-amazon-apigateway-endpoint-configuration']?.disableExecuteApiEndpoint),
    };
  }

  private attachBasePaths(apis: RestApiSpec[]): void {
    for (const type of ['AWS::ApiGateway::BasePathMapping', 'AWS::ApiGateway::BasePathMappingV2']) {
      for (const f of this.of(type)) {
        const p = this.props(f);
        const api = apis.find(a => a.id === p.RestApiId);
        if (!api) { continue; }
        const stage = api.stages.find(s => s.name === p.Stage) ?? api.stages[0];
        const domainName = String(p.DomainName ?? p.DomainNameArn ?? '');
        stage?.basePaths.push({ domainName, basePath: p.BasePath === '(none)' || p.BasePath === undefined ? '' : String(p.BasePath) });
      }
    }
  }

  private apiKey(f: Found): ApiKeySpec {
    const p = this.props(f);
    return {
      logicalId: f.logicalId,
      id: this.resolver.physicalId(f.template, f.logicalId),
      name: String(p.Name ?? f.logicalId),
      enabled: p.Enabled !== false && p.Enabled !== 'false',
      value: typeof p.Value === 'string' ? p.Value : undefined,
    };
  }

  private usagePlans(): UsagePlanSpec[] {
    const keys = this.of('AWS::ApiGateway::UsagePlanKey').map(k => this.props(k));
    return this.of('AWS::ApiGateway::UsagePlan').map(f => {
      const p = this.props(f);
      const id = this.resolver.physicalId(f.template, f.logicalId);
      return {
        logicalId: f.logicalId,
        id,
        name: String(p.UsagePlanName ?? f.logicalId),
        throttle: p.Throttle ? { rateLimit: num(p.Throttle.RateLimit), burstLimit: num(p.Throttle.BurstLimit) } : undefined,
        quota: p.Quota ? { limit: Number(p.Quota.Limit), period: String(p.Quota.Period), offset: Number(p.Quota.Offset ?? 0) } : undefined,
        apiStages: (p.ApiStages ?? []).map((s: any) => ({
          apiId: String(s.ApiId),
          stage: String(s.Stage),
          throttle: Object.fromEntries(Object.entries<any>(s.Throttle ?? {}).map(([k, v]) => [k, { rateLimit: num(v.RateLimit), burstLimit: num(v.BurstLimit) }])),
        })),
        keyIds: keys.filter(k => k.UsagePlanId === id).map(k => String(k.KeyId)),
      };
    });
  }

  private userPools(): UserPoolSpec[] {
    const clients = this.of('AWS::Cognito::UserPoolClient').map(c => ({ f: c, p: this.props(c) }));
    const servers = this.of('AWS::Cognito::UserPoolResourceServer').map(s => this.props(s));
    return this.of('AWS::Cognito::UserPool').map(f => {
      const id = this.resolver.physicalId(f.template, f.logicalId);
      const scopes = servers.filter(s => s.UserPoolId === id)
        .flatMap(s => (s.Scopes ?? []).map((sc: any) => `${s.Identifier}/${sc.ScopeName}`));
      return {
        logicalId: f.logicalId,
        path: this.pathOf(f),
        id,
        arn: this.resolver.attribute(f.template, f.logicalId, 'Arn'),
        region: f.template.region,
        clients: clients.filter(c => c.p.UserPoolId === id).map(c => ({
          id: this.resolver.physicalId(c.f.template, c.f.logicalId),
          name: String(c.p.ClientName ?? c.f.logicalId),
          accessTokenMinutes: validityMinutes(c.p.AccessTokenValidity, c.p.TokenValidityUnits?.AccessToken, 60),
          idTokenMinutes: validityMinutes(c.p.IdTokenValidity, c.p.TokenValidityUnits?.IdToken, 60),
          scopes: c.p.AllowedOAuthScopes ?? [],
        })),
        scopes,
      };
    });
  }

  private principals(): PrincipalSpec[] {
    const out = new Map<string, { spec: PrincipalSpec; statements: PolicyStatement[] }>();
    const groups = new Map<string, string[]>(); // group name -> user names
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::User'] as const) {
      for (const f of this.of(type)) {
        const p = this.props(f);
        const kind = type === 'AWS::IAM::Role' ? 'role' : 'user';
        const name = this.resolver.physicalId(f.template, f.logicalId);
        const statements: PolicyStatement[] = [];
        for (const policy of p.Policies ?? []) {
          statements.push(...asArray(policy.PolicyDocument?.Statement));
        }
        const spec: PrincipalSpec = {
          logicalId: f.logicalId, path: this.pathOf(f), kind, name,
          arn: this.resolver.attribute(f.template, f.logicalId, 'Arn'),
          account: f.template.account, statements,
        };
        out.set(`${kind}:${name}`, { spec, statements });
        if (kind === 'user') {
          for (const group of p.Groups ?? []) {
            groups.set(String(group), [...(groups.get(String(group)) ?? []), name]);
          }
        }
      }
    }
    const attach = (p: Record<string, any>, statements: PolicyStatement[]) => {
      for (const role of p.Roles ?? []) { out.get(`role:${roleName(role)}`)?.statements.push(...statements); }
      for (const user of p.Users ?? []) { out.get(`user:${user}`)?.statements.push(...statements); }
      for (const group of p.Groups ?? []) {
        for (const user of groups.get(String(group)) ?? []) { out.get(`user:${user}`)?.statements.push(...statements); }
      }
    };
    for (const f of this.of('AWS::IAM::Policy')) {
      const p = this.props(f);
      attach(p, asArray(p.PolicyDocument?.Statement));
    }
    for (const f of this.of('AWS::IAM::ManagedPolicy')) {
      const p = this.props(f);
      attach(p, asArray(p.PolicyDocument?.Statement));
    }
    return [...out.values()].map(({ spec }) => spec);
  }
}

function roleName(role: unknown): string {
  const text = String(role);
  return text.startsWith('arn:') ? text.split('/').pop()! : text;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function num(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : Number(value);
}

function validityMinutes(value: unknown, unit: string | undefined, fallback: number): number {
  if (value === undefined) { return fallback; }
  const n = Number(value);
  switch (unit ?? 'hours') {
    case 'seconds': return n / 60;
    case 'minutes': return n;
    case 'days': return n * 1440;
    default: return n * 60;
  }
}
