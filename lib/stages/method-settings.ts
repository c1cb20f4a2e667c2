import { Lazy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type { ServerlessApi } from '../api/serverless-api';
import { resourcePathOf } from '../core/method-keys';

const REGISTRIES = new WeakMap<ServerlessApi, StageMethodSettings>();

/**
 * The per-route `MethodSettings` of an API's stage, shared by the features that write them (route
 * throttles, response caching), so that one route throttled and cached is one entry, and no feature
 * replaces another's list. The stage-wide entry (`/*` `*`, from the stage options) comes first and is
 * kept; each route entry repeats its logging and metrics settings, so that a route setting does not
 * switch the route's execution logs off.
 * @internal
 */
export class StageMethodSettings {
  /** The registry of `api`'s stage, created on first use. */
  public static of(api: ServerlessApi): StageMethodSettings {
    let registry = REGISTRIES.get(api);
    if (!registry) {
      registry = new StageMethodSettings(api.stage.node.defaultChild as apigateway.CfnStage);
      REGISTRIES.set(api, registry);
    }
    return registry;
  }

  private readonly entries = new Map<string, Record<string, any>>();

  private constructor(cfnStage: apigateway.CfnStage) {
    const base = cfnStage.methodSettings;
    const baseSettings: any[] = Array.isArray(base) ? base : base === undefined ? [] : [base];
    const stageWide = baseSettings.find(s => s?.resourcePath === '/*' && s?.httpMethod === '*') ?? {};
    this.stageWide = stageWide;
    cfnStage.methodSettings = Lazy.any({ produce: () => [...baseSettings, ...this.entries.values()] });
  }

  private readonly stageWide: Record<string, any>;

  /**
   * Merges `settings` into the entry of the route `method` `path` (as declared: '/items/{id}').
   * `method` is the stage's method: '*' for a route declared with ANY.
   */
  public set(method: string, path: string, settings: Record<string, any>): void {
    const resourcePath = resourcePathOf(path);
    const key = `${method} ${resourcePath}`;
    const existing = this.entries.get(key) ?? {
      resourcePath,
      httpMethod: method,
      loggingLevel: this.stageWide.loggingLevel,
      metricsEnabled: this.stageWide.metricsEnabled,
      dataTraceEnabled: this.stageWide.dataTraceEnabled,
    };
    this.entries.set(key, { ...existing, ...settings });
  }
}

