import { RemovalPolicy, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { DataProtection, EnvironmentConfig } from './environment-config';
import { propError } from '../core/errors';

const CONFIG = Symbol.for('serverless-api-constructs.EnvironmentConfig');
const USED_STAGE_DEFAULTS = Symbol.for('serverless-api-constructs.usedStageDefaults');

/** Attaches `config` to `stage` (see `EnvironmentConfigs.applyTo`). @internal */
export function applyConfig(stage: Stage, config: EnvironmentConfig): void {
  const existing: EnvironmentConfig | undefined = (stage as any)[CONFIG];
  if (existing) {
    if (existing === config || JSON.stringify(existing) === JSON.stringify(config)) {
      return;
    }
    throw propError(stage, 'config', config.name, `is applied to a stage that already has the '${existing.name}' EnvironmentConfig`,
      'Apply one EnvironmentConfig per stage; build one Stage per environment.');
  }
  const early = stage.node.findAll().find(c => (c as any)[USED_STAGE_DEFAULTS]);
  if (early) {
    throw propError(stage, 'config', config.name, `is applied after '${early.node.path}' was created with the library's defaults`,
      'Call EnvironmentConfigs.applyTo(this, config) first in the stage\'s constructor, before creating its stacks.');
  }
  // Checked here, not left to each table: there it would name a deletionProtection prop the user never set.
  if (config.data?.deletionProtection === true && config.data.removalPolicy === RemovalPolicy.DESTROY) {
    throw propError(stage, `config '${config.name}' data.deletionProtection`, true, 'contradicts data.removalPolicy DESTROY',
      'Use RemovalPolicy.RETAIN (or SNAPSHOT) to keep the stage\'s tables and user pools, or drop deletionProtection to let their stacks delete them.');
  }
  Object.defineProperty(stage, CONFIG, { value: config, enumerable: false });
}

/** The config of the nearest enclosing stage that has one (see `EnvironmentConfigs.find`). @internal */
export function findConfig(scope: IConstruct): EnvironmentConfig | undefined {
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const config: EnvironmentConfig | undefined = (scopes[i] as any)[CONFIG];
    if (config) {
      return config;
    }
  }
  return undefined;
}

/** The data settings a table or user pool resolves from its props, its stage's config, and the library's defaults. @internal */
export interface ResolvedDataProtection {
  readonly removalPolicy: RemovalPolicy;
  /** Undefined when neither the props nor the stage decide it: the construct's own default applies. */
  readonly deletionProtection?: boolean;
  readonly pointInTimeRecovery?: boolean;
}

/**
 * Resolves a stateful construct's data settings: explicit props win, then the enclosing stage's
 * `EnvironmentConfig.data`, then RETAIN. The stage's deletion protection applies only when the
 * removal policy is not explicit (an explicit DESTROY is never protected behind the user's back),
 * and an explicit `deletionProtection: true` keeps the resource (RETAIN) in a stage that would
 * destroy it. @internal
 */
export function resolveDataProtection(construct: IConstruct, props: Partial<DataProtection>): ResolvedDataProtection {
  const stage = findConfig(construct)?.data;
  Object.defineProperty(construct, USED_STAGE_DEFAULTS, { value: true, enumerable: false });
  let removalPolicy = props.removalPolicy ?? stage?.removalPolicy ?? RemovalPolicy.RETAIN;
  if (props.removalPolicy === undefined && props.deletionProtection === true && removalPolicy === RemovalPolicy.DESTROY) {
    removalPolicy = RemovalPolicy.RETAIN;
  }
  return {
    removalPolicy,
    deletionProtection: props.deletionProtection ?? (props.removalPolicy === undefined ? stage?.deletionProtection : undefined),
    pointInTimeRecovery: props.pointInTimeRecovery ?? stage?.pointInTimeRecovery,
  };
}
