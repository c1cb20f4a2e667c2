import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { propError } from './errors';

/** API Gateway stage names (REST and WebSocket): 1 to 128 letters, digits, hyphens or underscores. */
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const RULE = 'Use 1-128 letters, digits, hyphens or underscores';

/**
 * The one stage-name rule of the library, for a stage name (`ServerlessApi`, `ServerlessWebSocketApi`:
 * `kind` 'stage', an unresolved token passes) and for an environment name (`EnvironmentConfigs.of`:
 * `kind` 'environment', which becomes the stage name and a context key prefix, so it must be a literal).
 * Throws the library's props error naming the prop, the value and the rule.
 * @internal
 */
export function checkStageName(scope: IConstruct, prop: string, value: unknown, kind: 'stage' | 'environment' = 'stage'): void {
  if (typeof value === 'string' && STAGE_NAME.test(value)) { return; }
  if (kind === 'stage') {
    if (Token.isUnresolved(value)) { return; }
    throw propError(scope, prop, value, 'is not a valid API Gateway stage name', `${RULE}, e.g. 'dev'.`);
  }
  throw propError(scope, prop, value, 'is not a valid environment name', `${RULE}, e.g. 'staging': it is also the API's stage name.`);
}
