import { resourcePathOf, wildcardMethod } from '../../core/method-keys';
import type { ApiStageSpec, StageModel, UsagePlanSpec } from '../assembly/stage-model';
import type { LocalSecrets } from '../local-secrets';
import { Buckets } from './token-bucket';

/** An API key as the local server holds it: the stage's key with its local value. */
export interface LocalApiKey {
  readonly id: string;
  readonly name: string;
  readonly value: string;
  readonly enabled: boolean;
  /** Names of the usage plans the key is in. */
  readonly usagePlans: string[];
}

/** Why a request was refused: the gateway response type API Gateway would answer with. */
export type TrafficRefusal = 'INVALID_API_KEY' | 'THROTTLED' | 'QUOTA_EXCEEDED';

/** The route a request matched, for throttles keyed by resource path and method. */
export interface ThrottledRoute {
  readonly apiId: string;
  readonly stage: ApiStageSpec;
  /** The resource path as declared, e.g. '/items/{id}'. */
  readonly resourcePath: string;
  /** The route's method as declared ('GET', or 'ANY' for an ANY route). */
  readonly method: string;
}

/** Account-level throttle of API Gateway (per account and region). */
const ACCOUNT_RATE = 10_000;
const ACCOUNT_BURST = 5_000;

/**
 * API keys and usage plans of a stage, enforced as API Gateway does: a key-required method needs the
 * `x-api-key` value of an enabled key in a usage plan of that API stage (else 403 Forbidden); each key
 * is throttled by its plan (or the plan's per-method throttle) with a token bucket (429 Too Many
 * Requests) and counted against the plan's quota per day, week or month (429 Limit Exceeded). Stage
 * and method throttles (the stage's method settings) and the account's 10,000 rps / 5,000 burst apply
 * to every request.
 */
export class UsagePlans {
  public readonly keys: LocalApiKey[];
  private readonly byValue = new Map<string, LocalApiKey>();
  private readonly buckets = new Buckets();
  private readonly quotas = new Map<string, { window: number; used: number }>();

  constructor(
    private readonly model: StageModel,
    secrets: LocalSecrets,
    private readonly account: { readonly rateLimit: number; readonly burstLimit: number } = { rateLimit: ACCOUNT_RATE, burstLimit: ACCOUNT_BURST },
  ) {
    this.keys = model.apiKeys.map(k => ({
      id: k.id,
      name: k.name,
      value: secrets.apiKeyValue(k.id, k.value),
      enabled: k.enabled,
      usagePlans: model.usagePlans.filter(p => p.keyIds.includes(k.id)).map(p => p.name),
    }));
    for (const key of this.keys) {
      this.byValue.set(key.value, key);
    }
  }

  /** Stage, method and account throttling, for every request of a route. */
  public stageThrottle(route: ThrottledRoute, now: number = Date.now()): TrafficRefusal | undefined {
    if (!this.buckets.take('account', this.account.rateLimit, this.account.burstLimit, now)) { return 'THROTTLED'; }
    // '/items/{id}' is written '/~1items~1{id}' in AWS::ApiGateway::Stage MethodSettings.
    const escaped = resourcePathOf(route.resourcePath);
    const method = wildcardMethod(route.method);
    const setting = route.stage.methodSettings.find(m => m.resourcePath === escaped && (m.httpMethod === method || m.httpMethod === '*'))
      ?? route.stage.methodSettings.find(m => m.resourcePath === '/*' && m.httpMethod === '*');
    // The stage's limits are the default of each method ("default method throttling").
    const key = `method|${route.apiId}|${route.stage.name}|${route.method} ${route.resourcePath}`;
    return this.buckets.take(key, setting?.rateLimit, setting?.burstLimit, now) ? undefined : 'THROTTLED';
  }

  /**
   * The API key check, per-key throttle and quota of a key-required method. `value` is the request's
   * `x-api-key` (or the authorizer's usage identifier key).
   */
  public admit(route: ThrottledRoute, value: string | undefined, now: number = Date.now()): { key?: LocalApiKey; refusal?: TrafficRefusal } {
    const key = value === undefined ? undefined : this.byValue.get(value);
    if (!key || !key.enabled) { return { refusal: 'INVALID_API_KEY' }; }
    const plan = this.planOf(key, route);
    if (!plan) { return { refusal: 'INVALID_API_KEY' }; }
    const stage = plan.apiStages.find(s => s.apiId === route.apiId && s.stage === route.stage.name)!;
    const method = wildcardMethod(route.method);
    const methodThrottle = stage.throttle[`${route.resourcePath}/${method}`];
    const limits = methodThrottle ?? plan.throttle;
    const bucketKey = methodThrottle ? `key|${key.id}|${plan.id}|${route.method} ${route.resourcePath}` : `key|${key.id}|${plan.id}`;
    if (limits && !this.buckets.take(bucketKey, limits.rateLimit, limits.burstLimit, now)) {
      return { key, refusal: 'THROTTLED' };
    }
    if (plan.quota) {
      const window = quotaWindow(plan.quota.period, plan.quota.offset, now);
      const id = `${key.id}|${plan.id}`;
      const counter = this.quotas.get(id);
      const used = counter && counter.window === window ? counter.used : 0;
      if (used >= plan.quota.limit) {
        return { key, refusal: 'QUOTA_EXCEEDED' };
      }
      this.quotas.set(id, { window, used: used + 1 });
    }
    return { key };
  }

  /** Requests left in a key's quota (for /_local/info), by plan name. */
  public remaining(keyId: string, now: number = Date.now()): { [plan: string]: number } {
    const out: Record<string, number> = {};
    for (const plan of this.model.usagePlans.filter(p => p.keyIds.includes(keyId) && p.quota)) {
      const counter = this.quotas.get(`${keyId}|${plan.id}`);
      const window = quotaWindow(plan.quota!.period, plan.quota!.offset, now);
      out[plan.name] = plan.quota!.limit - (counter && counter.window === window ? counter.used : 0);
    }
    return out;
  }

  private planOf(key: LocalApiKey, route: ThrottledRoute): UsagePlanSpec | undefined {
    return this.model.usagePlans.find(p => p.keyIds.includes(key.id)
      && p.apiStages.some(s => s.apiId === route.apiId && s.stage === route.stage.name));
  }
}

/**
 * The start of the quota period `now` falls in (UTC): the day; the week starting Sunday + offset days;
 * the month starting on its first day + offset days.
 */
export function quotaWindow(period: string, offset: number, now: number): number {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const dayMs = 86_400_000;
  switch (period) {
    case 'WEEK': {
      const start = day - ((d.getUTCDay() - offset + 7) % 7) * dayMs;
      return start;
    }
    case 'MONTH': {
      let start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) + offset * dayMs;
      if (start > now) {
        start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) + offset * dayMs;
      }
      return start;
    }
    default:
      return day;
  }
}
