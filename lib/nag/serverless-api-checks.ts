import { CfnResource, Validations } from 'aws-cdk-lib';
// The pack's base and rule types from their own cdk-nag modules: cdk-nag's index loads every rule of every
// pack (270 modules), which ServerlessApi (and every test that loads this library) would pay for at
// import time; Audit loads the AwsSolutions pack when it is enabled.
import { NagPack, NagPackProps } from 'cdk-nag/lib/nag-pack';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { routeFinding } from './open-api-body';
import { IntegrationCredentials, PreflightAuth, RouteAuth, ScopesOnCognito } from './rules';

interface RuleDefinition {
  readonly id: string;
  readonly info: string;
  readonly explanation: string;
  readonly level: NagMessageLevel;
  readonly rule: (node: CfnResource) => NagRuleResult;
}

/** The rules, in report order. Each reads the OpenAPI body of an `AWS::ApiGateway::RestApi`. */
const RULES: RuleDefinition[] = [
  {
    id: 'RouteAuth',
    info: 'The REST API has public routes (operations without authorization), named in brackets: METHOD:/path.',
    explanation: 'A public route is legitimate only when it was declared public: RouteAuthorization.none() on the route or as the API\'s '
      + 'defaultAuthorization, which acknowledges that route (and only it) on the RestApi. Any other public route is a mistake: give it '
      + 'RouteAuthorization.iam(), .cognito() or .lambda(), or declare it none() if it is meant to be public. '
      + '(cdk-nag\'s APIG4 and COG4 cannot see these routes: they are in the OpenAPI body, not AWS::ApiGateway::Method resources.)',
    level: NagMessageLevel.ERROR,
    rule: RouteAuth,
  },
  {
    id: 'PreflightAuth',
    info: 'OPTIONS operations of the REST API do not declare security: [] themselves, named in brackets: OPTIONS:/path.',
    explanation: 'Browsers send CORS preflights without credentials; a preflight behind authorization (its own, or the body\'s top-level '
      + 'security inherited) answers 401/403 and the browser blocks the real request.',
    level: NagMessageLevel.ERROR,
    rule: PreflightAuth,
  },
  {
    id: 'ScopesOnCognito',
    info: 'Operations of the REST API put OAuth scopes on a security scheme that is not a Cognito user pool, named in brackets: METHOD:/path.',
    explanation: 'API Gateway enforces authorization scopes for Cognito user pool authorizers only; elsewhere they are ignored, and the '
      + 'route admits every caller its authorizer admits.',
    level: NagMessageLevel.ERROR,
    rule: ScopesOnCognito,
  },
  {
    id: 'IntegrationCredentials',
    info: 'AWS service integrations of the REST API use a role that is not scoped, or not visible in the stack, named in brackets: METHOD:/path.',
    explanation: 'API Gateway assumes the integration\'s credentials role for every request of the route (unauthenticated ones too on a public '
      + 'route): the role must hold only the actions the route needs on the resources it uses (no managed policies, no "*" or "service:*" '
      + 'actions, no "*" resources). The library\'s roles are built with grant* methods and pass; a role of another stack or account '
      + 'cannot be inspected and needs an acknowledgement that says why it is scoped.',
    level: NagMessageLevel.ERROR,
    rule: IntegrationCredentials,
  },
];

/**
 * The library's own cdk-nag pack: checks of what cdk-nag's AwsSolutions pack cannot see in a
 * `ServerlessApi`, whose routes are operations of the RestApi's OpenAPI body rather than
 * `AWS::ApiGateway::Method` resources. Rule ids: `ServerlessApi-RouteAuth`,
 * `ServerlessApi-PreflightAuth`, `ServerlessApi-ScopesOnCognito`, `ServerlessApi-IntegrationCredentials`
 * (see lib/nag/rules/).
 *
 * Each rule reports one finding per offending route, `ServerlessApi-RouteAuth[GET:/health]`, so an
 * acknowledgement names the route it covers. `Audit.enable(app)` registers this pack next to
 * AwsSolutionsChecks; to use it alone: `Validations.of(app).addPlugins(new ServerlessApiChecks())`.
 */
export class ServerlessApiChecks extends NagPack {
  public readonly name = 'ServerlessApi';
  // Optional in its type as in NagPack's (jsii: an override may not turn an optional property required).
  public readonly ruleIds?: string[] = RULES.map(r => `ServerlessApi-${r.id}`);

  /**
   * @param props `verbose` adds each rule's explanation to its findings. Acknowledgements are written
   * to templates by `Audit` (per stage), so the pack takes no scope.
   */
  constructor(props: NagPackProps = {}) {
    super(undefined, { verbose: props.verbose });
    this.packName = 'ServerlessApi';
  }

  protected checkResource(node: CfnResource): void {
    for (const { id, info, explanation, level, rule } of RULES) {
      this.applyRule({ ruleSuffixOverride: id, info, explanation, level, node, rule });
    }
  }
}

/**
 * Acknowledges `ServerlessApi-RouteAuth` for one route declared public, on the API's RestApi. The
 * acknowledgement names the route (`ServerlessApi-RouteAuth[GET:/health]`), so it covers that route
 * and no other: a route made public without `RouteAuthorization.none()` still fails the audit.
 *
 * @param restApi the RestApi's CfnResource (where the finding is)
 * @param declaredOn where `none()` was written: 'route' (its `authorization`) or 'api' (`defaultAuthorization`)
 * @internal
 */
export function acknowledgePublicRoute(restApi: CfnResource, method: string, path: string, declaredOn: 'route' | 'api'): void {
  Validations.of(restApi).acknowledge({
    id: `ServerlessApi-RouteAuth[${routeFinding(method, path)}]`,
    reason: `Route '${method} ${path}' is public by declaration: RouteAuthorization.none() `
      + (declaredOn === 'route' ? 'is its authorization' : 'is the API\'s defaultAuthorization and the route sets none')
      + ', and it requires no API key. It remains subject to stage throttling, WAF and the resource policy.',
  });
}
