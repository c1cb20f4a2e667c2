import { createHash } from 'crypto';
import * as path from 'path';
import type { FunctionSpec, PrincipalSpec, StageModel } from '../assembly/stage-model';
import { LambdaAuthorizers } from '../auth/lambda-authorizers';
import { LocalUserPools } from '../auth/local-user-pools';
import type { LocalDynamo } from '../data/local-dynamo';
import { LocalIdentity, RestApiGateway } from '../gateway/rest-api-gateway';
import { FunctionLogLine, FunctionPool, InvokeOutcome } from '../lambda/function-pool';
import type { LocalCredentials, LocalSecrets } from '../local-secrets';
import type { AwsStandIns, QueueDelivery, RecordedMessage } from '../services/aws-stand-ins';
import { UsagePlans } from '../traffic/usage-plans';
import { WebSocketGateway } from '../websocket/websocket-gateway';

/** Where an API is mounted on the local server. */
export interface ApiMount {
  readonly gateway: RestApiGateway;
  /** The path prefix, '' for the root, e.g. '/v1' or '/dev'. */
  readonly prefix: string;
  /** 'domain': a custom domain's base path (event.path keeps the prefix); 'stage': the stage URL. */
  readonly kind: 'domain' | 'stage';
  readonly domainName: string;
}

/** Where a WebSocket API stage is served: upgrade requests to `prefix` (e.g. '/dev'). */
export interface WebSocketMount {
  readonly gateway: WebSocketGateway;
  readonly prefix: string;
  /** 'stage': the execute-api stage URL (also the @connections endpoint); 'domain': a custom domain's mapping. */
  readonly kind: 'stage' | 'domain';
  /** `requestContext.domainName` of connections made here. */
  readonly domainName: string;
}

/** Settings the stage is built with. */
export interface LocalStageOptions {
  readonly secrets: LocalSecrets;
  readonly dynamo: LocalDynamo;
  /** Stand-ins of the AWS services integrations call (kept across reloads, as the tables are). */
  readonly standIns: AwsStandIns;
  /** The server's base URL, once listening (functions get it as their Lambda endpoint). */
  readonly serverUrl: () => string;
  readonly maxInstances: number;
  readonly maxIntegrationTimeoutMs: number;
  /** HTTP backends by origin: where integrations to that origin go instead. */
  readonly backends: { [origin: string]: string };
  readonly nodePaths: string[];
  readonly functionLog: (line: FunctionLogLine) => void;
  readonly explain: (requestId: string, detail: string) => void;
  /** The account-level throttle. Default: API Gateway's (10,000 rps, burst 5,000). */
  readonly accountThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/** The principal that the stage grants nothing, for testing refusals. */
export const NO_GRANT_PRINCIPAL = 'local-no-grant';

/**
 * Everything one assembly of a stage serves: its APIs mounted at their base paths, its functions'
 * warm instances, its user pools, keys and plans, and its IAM principals with local credentials.
 * The server swaps a whole LocalStage when the assembly changes.
 */
export class LocalStage {
  public readonly mounts: ApiMount[] = [];
  public readonly webSocketMounts: WebSocketMount[] = [];
  public readonly userPools: LocalUserPools;
  public readonly usagePlans: UsagePlans;
  public readonly identities: LocalIdentity[] = [];
  public readonly warnings: string[];
  private readonly pools = new Map<string, FunctionPool>();
  private readonly byAccessKey = new Map<string, LocalIdentity>();

  constructor(public readonly model: StageModel, private readonly options: LocalStageOptions) {
    this.warnings = [...model.warnings];
    this.userPools = new LocalUserPools(model.userPools, options.secrets);
    this.usagePlans = new UsagePlans(model, options.secrets, options.accountThrottle);
    for (const principal of model.principals) {
      this.addIdentity(principal, principal.arn, principal.kind === 'role' ? `arn:aws:sts::${principal.account}:assumed-role/${principal.name}/local` : principal.arn);
    }
    const noGrantArn = `arn:aws:iam::${model.account}:user/${NO_GRANT_PRINCIPAL}`;
    this.addIdentity(undefined, noGrantArn, noGrantArn);

    const authorizers = new LambdaAuthorizers((arn, event) => this.invoke(arn, event));
    const services = {
      invoke: (arn: string, event: unknown, requestId: string) => this.invoke(arn, event, requestId),
      userPools: this.userPools,
      usagePlans: this.usagePlans,
      authorizers,
      awsService: (request: Parameters<AwsStandIns['call']>[0]) => options.standIns.call(request),
      identityByAccessKey: (id: string) => this.byAccessKey.get(id),
      maxIntegrationTimeoutMs: options.maxIntegrationTimeoutMs,
      backends: options.backends,
      explain: options.explain,
    };
    const unmapped: Array<{ gateway: RestApiGateway }> = [];
    for (const api of model.restApis) {
      for (const stage of api.stages) {
        const gateway = new RestApiGateway(api, stage, services);
        this.warnings.push(...gateway.warnings);
        if (stage.basePaths.length > 0) {
          for (const mapping of stage.basePaths) {
            this.mounts.push({ gateway, prefix: mapping.basePath ? `/${mapping.basePath}` : '', kind: 'domain', domainName: mapping.domainName });
          }
        } else {
          unmapped.push({ gateway });
        }
      }
    }
    // An API without a custom domain is served at /<stage>, as on its execute-api URL; when two such
    // APIs share a stage name, each goes under /<api name>/<stage>.
    for (const { gateway } of unmapped) {
      const clash = unmapped.filter(u => u.gateway.stage.name === gateway.stage.name).length > 1;
      const prefix = clash ? `/${gateway.api.name.replace(/[^A-Za-z0-9._-]/g, '-')}/${gateway.stage.name}` : `/${gateway.stage.name}`;
      if (clash) {
        this.warnings.push(`APIs without a custom domain share the stage name '${gateway.stage.name}': ${gateway.api.name} is served at ${prefix}.`);
      }
      this.mounts.push({ gateway, prefix, kind: 'stage', domainName: `${gateway.api.id}.execute-api.localhost` });
    }
    for (const mount of this.mounts) {
      if (this.mounts.some(m => m !== mount && m.prefix === mount.prefix)) {
        this.warnings.push(`Two APIs are mapped to the base path '${mount.prefix || '/'}': ${mount.gateway.api.name} may be unreachable.`);
      }
    }
    // Longest prefix first.
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length);

    // A WebSocket API stage is served at /<stage> (upgrade requests only, so it shares the path of a
    // REST API's stage), or /<api name>/<stage> when two WebSocket APIs share a stage name.
    const webSocketServices = {
      invoke: (arn: string, event: unknown, requestId: string) => this.invoke(arn, event, requestId),
      identityByAccessKey: (id: string) => this.byAccessKey.get(id),
      awsService: (request: Parameters<AwsStandIns['call']>[0]) => options.standIns.call(request),
      admitKey: (apiId: string, stageName: string, routeKey: string, value: string | undefined) => {
        const route = { apiId, stage: { name: stageName, variables: {}, methodSettings: [], basePaths: [] }, resourcePath: routeKey, method: '*' };
        return this.usagePlans.admit(route, value).refusal;
      },
      explain: options.explain,
    };
    const webSocketStages = model.webSocketApis.flatMap(api => api.stages.map(stage => ({ api, stage })));
    for (const { api, stage } of webSocketStages) {
      const clash = webSocketStages.filter(w => w.stage.name === stage.name).length > 1;
      const prefix = clash ? `/${api.name.replace(/[^A-Za-z0-9._-]/g, '-')}/${stage.name}` : `/${stage.name}`;
      const gateway = new WebSocketGateway(api, stage, webSocketServices);
      this.webSocketMounts.push({ gateway, prefix, kind: 'stage', domainName: `${api.id}.execute-api.localhost` });
      // A custom domain's mapping serves the same stage (the same connections) at its base path too.
      for (const mapping of stage.basePaths) {
        const mapped = mapping.basePath ? `/${mapping.basePath}` : '';
        if (webSocketStages.some(w => `/${w.stage.name}` === mapped)) {
          this.warnings.push(`WebSocket API ${api.name}: the domain mapping '${mapping.basePath}' of ${mapping.domainName} is the path of a stage; it is served at ${prefix} only.`);
          continue;
        }
        this.webSocketMounts.push({ gateway, prefix: mapped, kind: 'domain', domainName: mapping.domainName });
      }
    }
  }

  /** The WebSocket API stage served at a path. */
  public webSocketRoute(requestPath: string): WebSocketMount | undefined {
    const trimmed = requestPath.replace(/\/+$/, '');
    return this.webSocketMounts.find(m => m.prefix === trimmed && m.kind === 'stage') ?? this.webSocketMounts.find(m => m.prefix === trimmed);
  }

  /**
   * Environment values a function gets locally instead of its deployed ones: a WebSocket management
   * endpoint (`https://<api id>.execute-api.<region>.amazonaws.com/<stage>`) becomes this server's URL
   * of that stage; a Cognito authorizer of the library (USER_POOL_ID of a pool of the stage) reads the
   * JWKS from this server, whose tokens it verifies.
   */
  public localEnvironment(spec: FunctionSpec): { [name: string]: string } {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(spec.environment)) {
      const m = /^https:\/\/([a-z0-9]+)\.execute-api\.[^/]+\/([^/]+)\/?$/.exec(value);
      const mount = m && this.webSocketMounts.find(w => w.kind === 'stage' && w.gateway.api.id === m[1] && w.gateway.stage.name === m[2]);
      if (mount) { out[name] = `${this.options.serverUrl()}${mount.prefix}`; }
    }
    const pool = spec.environment.USER_POOL_ID ? this.userPools.pool(spec.environment.USER_POOL_ID) : undefined;
    if (pool && pool.id === spec.environment.USER_POOL_ID) {
      out.COGNITO_JWKS_URI = `${this.options.serverUrl()}/_local/cognito/${pool.id}/.well-known/jwks.json`;
    }
    return out;
  }

  /** The mount serving a request path, with the path below the prefix. */
  public route(requestPath: string): { mount: ApiMount; rest: string } | undefined {
    for (const mount of this.mounts) {
      if (mount.prefix === '' || requestPath === mount.prefix || requestPath.startsWith(`${mount.prefix}/`)) {
        return { mount, rest: requestPath.slice(mount.prefix.length) || '/' };
      }
    }
    return undefined;
  }

  /** A function of the stage by name, ARN (with or without a qualifier) or logical ID. */
  public functionSpec(nameOrArn: string): FunctionSpec | undefined {
    const name = functionName(nameOrArn);
    return this.model.functions.find(f => f.name === name || f.arn === nameOrArn || f.logicalId === nameOrArn);
  }

  /** Invokes a function of the stage; `undefined` when the stage has no such function. */
  public async invoke(nameOrArn: string, event: unknown, requestId?: string): Promise<InvokeOutcome | undefined> {
    const spec = this.functionSpec(nameOrArn);
    if (!spec) { return undefined; }
    let pool = this.pools.get(spec.name);
    if (!pool) {
      const identity = spec.roleArn ? this.identities.find(i => i.principalArn === spec.roleArn) : undefined;
      pool = new FunctionPool({ ...spec, environment: { ...spec.environment, ...this.localEnvironment(spec) } }, {
        maxInstances: this.options.maxInstances,
        nodePaths: this.options.nodePaths,
        log: this.options.functionLog,
        environment: {
          AWS_REGION: this.model.region,
          AWS_ENDPOINT_URL_DYNAMODB: this.options.dynamo.endpoint,
          AWS_ENDPOINT_URL_LAMBDA: this.options.serverUrl(),
          // The function acts as its execution role: its calls to the local Lambda API are signed as it.
          AWS_ACCESS_KEY_ID: identity?.credentials.accessKeyId ?? 'AKIALOCALFUNCTION',
          AWS_SECRET_ACCESS_KEY: identity?.credentials.secretAccessKey ?? 'local',
          AWS_SESSION_TOKEN: '',
        },
      });
      this.pools.set(spec.name, pool);
    }
    return pool.invoke(event, requestId);
  }

  /**
   * Hands an SQS message to each function subscribed to the queue (its event source mapping), as one
   * SQS event of one record, without waiting; each delivery's outcome is written into
   * `message.deliveries`. One attempt: a failed message is not retried or moved to a dead-letter queue.
   */
  public deliverQueueMessage(queueName: string, message: RecordedMessage & { readonly deliveries: QueueDelivery[] }): void {
    for (const subscription of this.model.queueSubscriptions.filter(s => s.enabled && s.queueName === queueName)) {
      const delivery: QueueDelivery = { functionName: functionName(subscription.functionName), status: 'pending' };
      message.deliveries.push(delivery);
      const details = message.details as { attributes?: Record<string, string>; messageGroupId?: string; messageDeduplicationId?: string };
      const attributes = details.attributes;
      const sent = String(Date.parse(message.time));
      const event = {
        Records: [{
          messageId: message.id,
          receiptHandle: Buffer.from(`${message.id}#local`).toString('base64'),
          body: message.body,
          attributes: {
            ApproximateReceiveCount: '1', SentTimestamp: sent, SenderId: 'AROALOCALAPIGATEWAY:local', ApproximateFirstReceiveTimestamp: sent,
            ...(details.messageGroupId ? { MessageGroupId: details.messageGroupId } : {}),
            ...(details.messageDeduplicationId ? { MessageDeduplicationId: details.messageDeduplicationId } : {}),
          },
          messageAttributes: Object.fromEntries(Object.entries(attributes ?? {}).map(([name, value]) => [name, {
            stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String',
          }])),
          md5OfBody: createHash('md5').update(message.body).digest('hex'),
          eventSource: 'aws:sqs',
          eventSourceARN: subscription.queueArn,
          awsRegion: this.model.region,
        }],
      };
      void this.invoke(subscription.functionName, event).then(outcome => {
        const failures = (outcome?.payload as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | undefined)?.batchItemFailures;
        if (!outcome) {
          delivery.status = 'failed';
          delivery.error = `no function '${subscription.functionName}' in the stage`;
        } else if (outcome.error) {
          delivery.status = 'failed';
          delivery.error = `${outcome.error.errorType}: ${outcome.error.errorMessage}`;
        } else if (subscription.reportBatchItemFailures && Array.isArray(failures) && failures.some(f => f.itemIdentifier === message.id)) {
          delivery.status = 'failed';
          delivery.error = 'reported in batchItemFailures';
        } else {
          delivery.status = 'processed';
        }
      }, (err: unknown) => {
        delivery.status = 'failed';
        delivery.error = String(err);
      });
    }
  }

  /** The identity of an access key of the stage. */
  public identity(accessKeyId: string): LocalIdentity | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  /** Principals with an Allow of `execute-api:Invoke` (or `ManageConnections`), and the one with no grant. */
  public invokers(): LocalIdentity[] {
    return this.identities.filter(i => !i.principal || i.principal.statements.some(s => s.Effect === 'Allow'
      && [s.Action ?? []].flat().some(a => /^(execute-api:(Invoke|ManageConnections|\*)|\*)$/i.test(String(a)))));
  }

  /** Warm instances by function name. */
  public instances(): { [functionName: string]: number } {
    return Object.fromEntries([...this.pools].map(([name, pool]) => [name, pool.instances]));
  }

  public async stop(): Promise<void> {
    await Promise.all([...new Set(this.webSocketMounts.map(m => m.gateway))].map(g => g.stop()));
    await Promise.all([...this.pools.values()].map(p => p.stop()));
    this.pools.clear();
  }

  private addIdentity(principal: PrincipalSpec | undefined, principalArn: string, callerArn: string): void {
    const credentials: LocalCredentials = this.options.secrets.credentials(principalArn);
    const identity: LocalIdentity = { principal, principalArn, callerArn, account: principal?.account ?? this.model.account, credentials };
    this.identities.push(identity);
    this.byAccessKey.set(credentials.accessKeyId, identity);
  }
}

/** 'arn:aws:lambda:r:a:function:name:alias', 'a:function:name', 'name:alias' → 'name'. */
export function functionName(nameOrArn: string): string {
  const arn = /^(?:arn:[^:]+:lambda:[^:]+:)?(?:\d{12}:)?function:([^:]+)(?::.*)?$/.exec(nameOrArn);
  if (arn) { return arn[1]; }
  return nameOrArn.split(':')[0];
}

/** Directories holding modules Lambda's runtime provides (the AWS SDK v3), for function code that leaves them out. */
export function runtimeModulePaths(projectDir: string): string[] {
  const paths = [path.join(projectDir, 'node_modules')];
  try {
    // This package's own node_modules (where @aws-sdk/* may be installed next to it).
    const own = path.dirname(require.resolve('@aws-sdk/client-dynamodb/package.json'));
    paths.push(path.resolve(own, '..', '..'));
  } catch {
    // not installed: functions get only what the project has
  }
  return [...new Set(paths)];
}
