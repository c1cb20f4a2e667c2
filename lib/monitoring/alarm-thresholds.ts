import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/** How eagerly a stage's alarms fire. */
export enum AlarmProfile {
  /** Production: low thresholds, 2 of 3 five-minute periods. */
  STRICT = 'STRICT',
  /** Development and test: high thresholds, 3 of 3 five-minute periods, so the team is not paged for experiments. */
  QUIET = 'QUIET',
}

/**
 * Alarm thresholds; each one left out takes the profile's default (STRICT / QUIET). Counts are per
 * five-minute period.
 */
export interface AlarmThresholds {
  /**
   * 5XX responses, in percent of the stage's requests.
   * @default - STRICT 1, QUIET 5
   */
  readonly serverErrorRatePercent?: number;
  /**
   * 4XX responses (429s included), in percent of the stage's requests.
   * @default - STRICT 10, QUIET 25
   */
  readonly clientErrorRatePercent?: number;
  /**
   * p99 latency of the stage, as callers see it.
   * @default - STRICT 2 seconds, QUIET 5 seconds
   */
  readonly latencyP99?: Duration;
  /**
   * p99 latency of the stage's integrations (the backends).
   * @default - STRICT 1.5 seconds, QUIET 5 seconds
   */
  readonly integrationLatencyP99?: Duration;
  /**
   * Requests answered 429 (stage, route and usage-plan throttling, quotas), counted from the access logs.
   * @default - STRICT 10, QUIET 100
   */
  readonly throttledRequests?: number;
  /**
   * Errors of any one function.
   * @default - STRICT 1, QUIET 10
   */
  readonly functionErrors?: number;
  /**
   * Throttled invocations of any one function.
   * @default - STRICT 1, QUIET 10
   */
  readonly functionThrottles?: number;
  /**
   * p99 duration of any one function, in percent of its timeout.
   * @default - STRICT 80, QUIET 95
   */
  readonly functionDurationPercentOfTimeout?: number;
  /**
   * Concurrent executions of all functions of the account in the region (Lambda's default quota is 1,000).
   * @default - STRICT 800, QUIET 900
   */
  readonly concurrentExecutions?: number;
  /**
   * Throttled requests of any one table.
   * @default - STRICT 1, QUIET 20
   */
  readonly tableThrottledRequests?: number;
  /**
   * DynamoDB system errors (5XX) of any one table.
   * @default - STRICT 1, QUIET 5
   */
  readonly tableSystemErrors?: number;
  /**
   * Requests the stage's web ACL blocked, in percent of the requests it saw.
   * @default - STRICT 5, QUIET 25
   */
  readonly wafBlockedRatePercent?: number;
  /**
   * Failed, timed-out or aborted executions of any one state machine.
   * @default - STRICT 1, QUIET 5
   */
  readonly stateMachineFailures?: number;
  /**
   * Messages waiting in any one dead-letter queue.
   * @default - STRICT 1, QUIET 10
   */
  readonly deadLetterMessages?: number;
}

/** Thresholds with every value set. @internal */
export interface ResolvedThresholds {
  readonly serverErrorRatePercent: number;
  readonly clientErrorRatePercent: number;
  readonly latencyP99: Duration;
  readonly integrationLatencyP99: Duration;
  readonly throttledRequests: number;
  readonly functionErrors: number;
  readonly functionThrottles: number;
  readonly functionDurationPercentOfTimeout: number;
  readonly concurrentExecutions: number;
  readonly tableThrottledRequests: number;
  readonly tableSystemErrors: number;
  readonly wafBlockedRatePercent: number;
  readonly stateMachineFailures: number;
  readonly deadLetterMessages: number;
}

/** The defaults of each profile. @internal */
export const PROFILE_THRESHOLDS: Record<AlarmProfile, ResolvedThresholds> = {
  [AlarmProfile.STRICT]: {
    serverErrorRatePercent: 1, clientErrorRatePercent: 10, latencyP99: Duration.seconds(2), integrationLatencyP99: Duration.millis(1500),
    throttledRequests: 10, functionErrors: 1, functionThrottles: 1, functionDurationPercentOfTimeout: 80, concurrentExecutions: 800,
    tableThrottledRequests: 1, tableSystemErrors: 1, wafBlockedRatePercent: 5, stateMachineFailures: 1, deadLetterMessages: 1,
  },
  [AlarmProfile.QUIET]: {
    serverErrorRatePercent: 5, clientErrorRatePercent: 25, latencyP99: Duration.seconds(5), integrationLatencyP99: Duration.seconds(5),
    throttledRequests: 100, functionErrors: 10, functionThrottles: 10, functionDurationPercentOfTimeout: 95, concurrentExecutions: 900,
    tableThrottledRequests: 20, tableSystemErrors: 5, wafBlockedRatePercent: 25, stateMachineFailures: 5, deadLetterMessages: 10,
  },
};

/** Datapoints that must breach, out of evaluation periods, per profile. @internal */
export const PROFILE_EVALUATION: Record<AlarmProfile, { readonly datapointsToAlarm: number; readonly evaluationPeriods: number }> = {
  [AlarmProfile.STRICT]: { datapointsToAlarm: 2, evaluationPeriods: 3 },
  [AlarmProfile.QUIET]: { datapointsToAlarm: 3, evaluationPeriods: 3 },
};

const PERCENTS = new Set(['serverErrorRatePercent', 'clientErrorRatePercent', 'functionDurationPercentOfTimeout', 'wafBlockedRatePercent']);

/** The profile's thresholds with `overrides` applied, validated. @internal */
export function resolveThresholds(scope: IConstruct, profile: AlarmProfile, overrides: AlarmThresholds = {}): ResolvedThresholds {
  const defaults = PROFILE_THRESHOLDS[profile];
  if (!defaults) {
    throw propError(scope, 'profile', profile, 'is not an AlarmProfile', 'Use AlarmProfile.STRICT or AlarmProfile.QUIET.');
  }
  const resolved: Record<string, unknown> = { ...defaults };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) { continue; }
    if (!(name in defaults)) {
      throw propError(scope, `thresholds.${name}`, value, 'is not an alarm threshold', `Use one of ${Object.keys(defaults).join(', ')}.`);
    }
    if (value instanceof Duration) {
      if (!value.isUnresolved() && value.toMilliseconds() <= 0) {
        throw propError(scope, `thresholds.${name}`, value.toHumanString(), 'must be above 0', 'Give a latency, e.g. Duration.seconds(2).');
      }
    } else if (!Token.isUnresolved(value)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw propError(scope, `thresholds.${name}`, value, 'must be a number >= 0',
          `Give ${PERCENTS.has(name) ? 'a percentage, e.g. 1' : 'a count per five minutes, e.g. 1'}, or leave it out for the ${profile} default (${String((defaults as any)[name])}).`);
      }
      if (PERCENTS.has(name) && value > 100) {
        throw propError(scope, `thresholds.${name}`, value, 'is a percentage above 100', 'Give a percentage from 0 to 100.');
      }
    }
    resolved[name] = value;
  }
  return resolved as unknown as ResolvedThresholds;
}
