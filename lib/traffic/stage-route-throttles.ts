import { propError } from '../core/errors';
import type { ServerlessApi } from '../api/serverless-api';
import { RouteThrottle, validateThrottle } from './throttle-limits';
import { routeKey } from '../api/route-path';
import { wildcardMethod } from '../core/method-keys';
import { StageMethodSettings } from '../stages/method-settings';

const THROTTLES = new WeakMap<ServerlessApi, RouteThrottle[]>();

/**
 * Adds a per-route throttle to the API's stage as an `AWS::ApiGateway::Stage` MethodSetting.
 *
 * The stage's own settings (the stage-wide `/*` `*` entry with logging, metrics and throttling) are
 * kept; each route entry repeats the stage-wide logging and metrics settings so that overriding the
 * throttle of a route does not switch its execution logs off. Unknown routes fail at synth (routes
 * may be added after this call).
 *
 * @internal
 */
export function throttleRouteOnStage(api: ServerlessApi, throttle: RouteThrottle): void {
  const key = routeKey(throttle.method, throttle.path);
  validateThrottle(api, `throttleRoute('${key}')`, throttle);
  let throttles = THROTTLES.get(api);
  if (!throttles) {
    const list: RouteThrottle[] = [];
    throttles = list;
    THROTTLES.set(api, list);
    api.node.addValidation({
      validate: () => list
        .filter(t => api._routeApiKeyRequired(routeKey(t.method, t.path)) === undefined)
        .map(t => propError(api, `throttleRoute('${routeKey(t.method, t.path)}')`, routeKey(t.method, t.path),
          'names a route the API does not have',
          `Throttle one of: ${api.routes.map(r => `${r.method} ${r.path}`).join(', ') || '(no routes yet)'}.`).message),
    });
  }
  if (throttles.some(t => routeKey(t.method, t.path) === key)) {
    throw propError(api, `throttleRoute('${key}')`, key, 'is called twice for the same route', 'Throttle each route once.');
  }
  throttles.push(throttle);
  StageMethodSettings.of(api).set(wildcardMethod(throttle.method), throttle.path, {
    throttlingRateLimit: throttle.rateLimit,
    throttlingBurstLimit: throttle.burstLimit,
  });
}
