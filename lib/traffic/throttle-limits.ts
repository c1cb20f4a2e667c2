import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/**
 * A steady-state rate and a burst, as API Gateway's token bucket applies them.
 */
export interface ThrottleLimits {
  /** Steady-state requests per second (API Gateway accepts fractions, e.g. 0.5). */
  readonly rateLimit: number;
  /** Requests allowed in a burst (the bucket's size). Must be at least `rateLimit`. */
  readonly burstLimit: number;
}

/**
 * Throttling of one route, identified by its method and path exactly as declared on the API.
 */
export interface RouteThrottle extends ThrottleLimits {
  /** The route's HTTP method, e.g. 'GET' (ANY for a route declared with ANY). */
  readonly method: string;
  /** The route's path as declared, e.g. '/items/{id}'. */
  readonly path: string;
}

/**
 * Validates a rate/burst pair. Skips unresolved tokens.
 * @internal
 */
export function validateThrottle(scope: IConstruct, prop: string, limits: ThrottleLimits): void {
  const { rateLimit, burstLimit } = limits ?? ({} as ThrottleLimits);
  if (!Token.isUnresolved(rateLimit) && (typeof rateLimit !== 'number' || !Number.isFinite(rateLimit) || rateLimit < 0)) {
    throw propError(scope, `${prop}.rateLimit`, rateLimit, 'must be a number >= 0', 'Give requests per second, e.g. 10.');
  }
  if (!Token.isUnresolved(burstLimit) && (typeof burstLimit !== 'number' || !Number.isInteger(burstLimit) || burstLimit < 0)) {
    throw propError(scope, `${prop}.burstLimit`, burstLimit, 'must be an integer >= 0', 'Give a number of requests, e.g. 20.');
  }
  if (!Token.isUnresolved(rateLimit) && !Token.isUnresolved(burstLimit) && burstLimit < rateLimit) {
    throw propError(scope, `${prop}.burstLimit`, burstLimit, `is below ${prop}.rateLimit (${rateLimit})`,
      'Set the burst to at least the rate limit: API Gateway refills the bucket at the rate, up to the burst.');
  }
}
