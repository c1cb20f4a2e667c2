import { Lazy, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { describe, propError } from '../core/errors';
import type { ServerlessApi } from '../api/serverless-api';
import type { ApiConsumerKey } from './api-consumer-key';
import { RouteThrottle, ThrottleLimits, validateThrottle } from './throttle-limits';
import { routeKey } from '../api/route-path';
import { wildcardMethod } from '../core/method-keys';

/** How many requests a key may make per day, week or month. */
export interface ApiQuota {
  /** Requests allowed per period, at least 1. */
  readonly limit: number;
  /** The period the limit applies to. */
  readonly period: apigateway.Period;
  /**
   * Days the period's start is shifted by: 0 for DAY, 0-6 for WEEK, 0-27 for MONTH.
   * @default 0
   */
  readonly offset?: number;
}

/** Options of `ServerlessApi.addUsagePlan()`. */
export interface ApiUsagePlanOptions {
  /**
   * The plan's name in API Gateway. The stage name is appended, so the same plan in dev and prod
   * never shares a name.
   * @default - the construct ID
   */
  readonly planName?: string;
  /**
   * A description of the plan.
   * @default - none
   */
  readonly description?: string;
  /**
   * Throttling of each key in the plan (per key, below the stage's own limits).
   * @default - no per-key throttling: only the stage's limits apply
   */
  readonly throttle?: ThrottleLimits;
  /**
   * Requests each key of the plan may make per period.
   * @default - no quota
   */
  readonly quota?: ApiQuota;
  /**
   * Per-route throttling inside the plan, overriding `throttle` for those routes. Each route must
   * exist on the API (checked at synth).
   * @default - none
   */
  readonly methodThrottles?: RouteThrottle[];
  /**
   * Names of the stages the plan applies to. A ServerlessApi has one stage, so the only valid value
   * is the API's `stageName`; naming stages keeps a plan shared between environments honest.
   * @default - the API's stage
   */
  readonly stages?: string[];
}

/** Props of {@link ApiUsagePlan}. */
export interface ApiUsagePlanProps extends ApiUsagePlanOptions {
  /** The API (and so the stage) the plan applies to. */
  readonly api: ServerlessApi;
}

const PLANS = new WeakMap<ServerlessApi, ApiUsagePlan[]>();
const MAX_OFFSET: Record<string, number> = { DAY: 0, WEEK: 6, MONTH: 27 };

/**
 * A usage plan on a ServerlessApi's stage: per-key throttling, a quota, per-route throttles.
 *
 * Keys join it with `plan.addApiKey(key)` or `api.addApiKey(id, { plans: [plan] })`. Plans only
 * limit requests that carry a key, so they matter for routes declared with `apiKeyRequired: true`.
 *
 * @example
 * const free = api.addUsagePlan('Free', {
 *   throttle: { rateLimit: 5, burstLimit: 10 },
 *   quota: { limit: 1000, period: apigateway.Period.DAY },
 * });
 * api.addApiKey('Acme', { plans: [free] });
 */
export class ApiUsagePlan extends Construct {
  /**
   * The plans of an API. @internal
   */
  public static _plansOf(api: ServerlessApi): ApiUsagePlan[] {
    return [...(PLANS.get(api) ?? [])];
  }

  /** The API Gateway usage plan. */
  public readonly usagePlan: apigateway.UsagePlan;
  /** The API the plan applies to. */
  public readonly api: ServerlessApi;
  /** The plan's name in API Gateway, e.g. 'free-prod'. */
  public readonly planName: string;

  private readonly methodThrottles: RouteThrottle[] = [];

  constructor(scope: Construct, id: string, props: ApiUsagePlanProps) {
    super(scope, id);
    this.api = props.api;
    const api = props.api;
    if (props.throttle !== undefined) {
      validateThrottle(this, 'throttle', props.throttle);
    }
    if (props.quota !== undefined) {
      this.validateQuota(props.quota);
    }
    if (props.stages !== undefined) {
      if (!Array.isArray(props.stages) || props.stages.length === 0) {
        throw propError(this, 'stages', props.stages, 'must name at least one stage',
          `Leave it out to use the API's stage ('${api.stageName}').`);
      }
      for (const stage of props.stages) {
        if (!Token.isUnresolved(stage) && stage !== api.stageName) {
          throw propError(this, 'stages', props.stages, `names '${stage}', a plan attached to a stage the API does not have`,
            `The API's only stage is '${api.stageName}'; dev, test and prod are separate APIs, each with its own plans.`);
        }
      }
    }
    this.planName = `${props.planName ?? id}-${api.stageName}`;

    this.usagePlan = new apigateway.UsagePlan(this, 'Resource', {
      name: this.planName,
      description: props.description,
      throttle: props.throttle,
      quota: props.quota,
    });
    // The apiStages are written here rather than through UsagePlan's `apiStages`: its per-method
    // throttling wants `apigateway.Method` constructs, and routes of a ServerlessApi live in the
    // OpenAPI body.
    (this.usagePlan.node.defaultChild as apigateway.CfnUsagePlan).apiStages = Lazy.any({
      produce: () => [{
        apiId: api.restApi.restApiId,
        stage: api.stage.stageName,
        throttle: this.methodThrottles.length === 0 ? undefined : Object.fromEntries(this.methodThrottles.map(t => [
          `${t.path}/${wildcardMethod(t.method)}`,
          { rateLimit: t.rateLimit, burstLimit: t.burstLimit },
        ])),
      }],
    });

    for (const throttle of props.methodThrottles ?? []) {
      this.addMethodThrottle(throttle);
    }
    this.node.addValidation({ validate: () => this.validateMethodThrottles() });
    PLANS.set(api, [...(PLANS.get(api) ?? []), this]);
  }

  /**
   * Throttles one route of the API for the keys of this plan.
   */
  public addMethodThrottle(throttle: RouteThrottle): void {
    const key = routeKey(throttle?.method, throttle?.path);
    validateThrottle(this, `methodThrottles '${key}'`, throttle);
    if (this.methodThrottles.some(t => routeKey(t.method, t.path) === key)) {
      throw propError(this, 'methodThrottles', key, 'throttles the same route twice', 'Give each route one entry.');
    }
    this.methodThrottles.push(throttle);
  }

  /**
   * Adds a key to this plan (same as `key.addToPlan(plan)`).
   */
  public addApiKey(key: ApiConsumerKey): void {
    key.addToPlan(this);
  }

  private validateQuota(quota: ApiQuota): void {
    const { limit, period } = quota;
    if (!Token.isUnresolved(limit) && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) {
      throw propError(this, 'quota.limit', limit, 'must be an integer >= 1', 'Give requests per period, e.g. 10000; leave quota out for no quota.');
    }
    if (!Token.isUnresolved(period) && !Object.values(apigateway.Period).includes(period)) {
      throw propError(this, 'quota.period', period, 'is not a quota period', 'Use apigateway.Period.DAY, WEEK or MONTH.');
    }
    const offset = quota.offset ?? 0;
    const max = MAX_OFFSET[period] ?? 0;
    if (!Token.isUnresolved(offset) && !Token.isUnresolved(period) && (!Number.isInteger(offset) || offset < 0 || offset > max)) {
      throw propError(this, 'quota.offset', offset, `must be an integer from 0 to ${max} for period ${describe(period)}`,
        'Shift the period\'s start by whole days within the period, or leave it out.');
    }
  }

  private validateMethodThrottles(): string[] {
    const errors: string[] = [];
    for (const t of this.methodThrottles) {
      const key = routeKey(t.method, t.path);
      const apiKeyRequired = this.api._routeApiKeyRequired(key);
      if (apiKeyRequired === undefined) {
        errors.push(propError(this, 'methodThrottles', key, 'names a route the API does not have',
          `Throttle one of: ${this.api.routes.map(r => `${r.method} ${r.path}`).join(', ') || '(no routes yet)'}.`).message);
      } else if (!apiKeyRequired) {
        errors.push(propError(this, 'methodThrottles', key, 'names a route that does not require an API key',
          'Usage plans only limit requests made with a key: declare the route with apiKeyRequired: true, or throttle it on the stage with api.throttleRoute().').message);
      }
    }
    return errors;
  }
}
