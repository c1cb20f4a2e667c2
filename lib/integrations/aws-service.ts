import { Duration, IResource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { propError } from '../core/errors';
import type { IntegrationBindContext, IntegrationRenderContext, RenderedIntegration } from './integration-binding';
import { IntegrationPermission, integrationRole } from './integration-roles';
import { BAD_GATEWAY, ErrorRule, fixedErrorTemplate, INTERNAL_ERROR, renderResponses, ResponseSpec, serviceErrorTemplate, THROTTLED, THROTTLING_PATTERN } from './mapping-templates';

/** Options every AWS service integration takes. */
export interface AwsIntegrationOptions {
  /**
   * A role of yours for API Gateway to assume instead of the shared one the library creates; you
   * grant it what the route needs (and, for a resource of another account, the resource's policy
   * must allow it).
   * @default - a role shared by the API's routes with the same permissions, granted exactly those
   */
  readonly credentialsRole?: iam.IRole;
  /**
   * The request mapping template (Velocity) for `application/json` requests, replacing the default.
   * Requests of other content types are answered 415.
   * @default - a template building the service request from the HTTP request (see each integration)
   */
  readonly requestTemplate?: string;
  /**
   * The response mapping template (Velocity) of a successful service answer, replacing the default.
   * @default - a template mapping the service's answer to JSON (see each integration)
   */
  readonly responseTemplate?: string;
  /**
   * How long API Gateway waits for the service.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
}

/** The parts of one AWS service integration. @internal */
export interface AwsServiceSpec {
  /** 'sqs', 'states', 'kinesis', ... */
  readonly service: string;
  /** `action/<Action>` or `path/<path>` */
  readonly target: string;
  /** The region of the service endpoint (the resource's). */
  readonly region: string;
  readonly httpMethod: string;
  readonly role: iam.IRole;
  readonly requestParameters?: Record<string, string>;
  readonly requestTemplate: string;
  readonly success: ResponseSpec;
  /** Client errors of the service (4xx answers). Throttling codes are added for every service. */
  readonly clientErrors: ErrorRule[];
  /**
   * Service statuses answered by their own response, whatever the body says (S3's XML errors), e.g.
   * `{ 404: NOT_FOUND }`. The 4xx response then covers the other 4xx statuses.
   */
  readonly statusErrors?: Record<number, Omit<ErrorRule, 'codes'>>;
  /** Statuses response templates set besides the rules' (e.g. 404 of a missing item). */
  readonly extraStatuses?: number[];
  readonly timeoutMillis: number;
  readonly parameters?: Array<Record<string, any>>;
  readonly requestBody?: Record<string, any>;
}


/** API Gateway's maximum integration timeout for REST APIs (without a quota increase). */
export const MAX_TIMEOUT_MS = 29_000;

/** Validates an integration timeout and returns it in milliseconds. @internal */
export function timeoutMillis(context: IntegrationBindContext, prop: string, timeout: Duration | undefined): number {
  if (timeout === undefined) { return MAX_TIMEOUT_MS; }
  if (timeout.isUnresolved()) {
    throw propError(context.api, prop, timeout.toString(), 'is a token', 'Give a literal duration, e.g. Duration.seconds(10).');
  }
  const ms = timeout.toMilliseconds();
  if (ms < 50 || ms > MAX_TIMEOUT_MS) {
    throw propError(context.api, prop, timeout.toHumanString(), 'must be from 50 milliseconds to 29 seconds',
      'API Gateway waits at most 29 seconds for an integration (a quota increase raises it for regional APIs); use e.g. Duration.seconds(10).');
  }
  return ms;
}

/**
 * The role for an AWS integration: the user's, or the API's shared role for this permission set.
 * A resource of another account cannot be granted from here (its policy lives in that account), so
 * it needs the user's own role. @internal
 */
export function credentialsFor(context: IntegrationBindContext, resource: IResource, resourceName: string,
  options: AwsIntegrationOptions, permissions: IntegrationPermission[]): iam.IRole {
  if (options.credentialsRole) {
    return options.credentialsRole;
  }
  const account = resource.env.account;
  const apiAccount = Stack.of(context.api).account;
  if (!Token.isUnresolved(account) && !Token.isUnresolved(apiAccount) && account !== apiAccount) {
    throw propError(context.api, `route '${context.routeKey}' integration`, `${resourceName} of account ${account}`,
      `is in another account than the API (${apiAccount}), where the library cannot grant access: the ${resourceName}'s policy lives in account ${account}`,
      `Pass credentialsRole: a role of account ${apiAccount} that the ${resourceName}'s policy in account ${account} allows, or use a ${resourceName} of account ${apiAccount}.`);
  }
  return integrationRole(context.api, context.routeKey, permissions);
}

/** The region of a resource, or the API's when the resource's is unknown at synth. @internal */
export function regionOf(context: IntegrationBindContext, resource: IResource): string {
  const region = resource.env.region;
  return Token.isUnresolved(region) ? Stack.of(context.api).region : region;
}

/**
 * Checks that a request template uses every path parameter of the route: a parameter the service
 * never sees is almost always a mistake (two URLs that reach the same item). @internal
 */
export function checkPathParametersUsed(context: IntegrationBindContext, used: Iterable<string>, prop: string, fix: string): void {
  const set = new Set(used);
  for (const name of context.parsed.parameters) {
    if (!set.has(name)) {
      throw propError(context.api, prop, context.parsed.path, `does not use the route's path parameter '${name}'`, fix);
    }
  }
}

/** The path parameters a user's template reads (all, when it reads the whole path map). @internal */
export function parametersUsedBy(template: string, parameters: string[]): string[] {
  if (/\$input\.params\(\)(?!\.(querystring|header))/.test(template)) { return parameters; }
  return parameters.filter(p => template.includes(`'${p}'`) || template.includes(`"${p}"`) || template.includes(`.path.${p}`));
}

/** The `x-amazon-apigateway-integration` entry and method responses of an AWS service integration. @internal */
export function renderAwsService(context: IntegrationBindContext, spec: AwsServiceSpec, render: IntegrationRenderContext): RenderedIntegration {
  const stack = Stack.of(context.api);
  const statusErrors = Object.entries(spec.statusErrors ?? {});
  const responseSpecs: Record<string, ResponseSpec> = { default: spec.success };
  for (const [status, rule] of statusErrors) {
    responseSpecs[status] = { statusCode: rule.status, template: serviceErrorTemplate([], rule) };
  }
  // Selection patterns must not overlap (API Gateway does not define which of two matches wins).
  const family = (digit: string): string => {
    const own = statusErrors.map(([status]) => status).filter(status => status.startsWith(digit));
    return own.length > 0 ? `(?!(${own.join('|')})$)${digit}\\d{2}` : `${digit}\\d{2}`;
  };
  responseSpecs[family('4')] = { statusCode: 400, template: serviceErrorTemplate([...spec.clientErrors, { codes: [], pattern: THROTTLING_PATTERN, ...THROTTLED }], INTERNAL_ERROR) };
  // AWS services answer throttling with 4xx (S3's SlowDown 503 is a status error of its own): a 5xx is the service failing.
  responseSpecs[family('5')] = { statusCode: 502, template: fixedErrorTemplate(BAD_GATEWAY) };
  const { integrationResponses, methodResponses } = renderResponses(responseSpecs,
    [...spec.clientErrors.map(r => r.status), ...statusErrors.map(([, r]) => r.status), THROTTLED.status, INTERNAL_ERROR.status, ...(spec.extraStatuses ?? [])],
    render.cors);
  return {
    integration: {
      type: 'aws',
      httpMethod: spec.httpMethod,
      uri: `arn:${stack.partition}:apigateway:${spec.region}:${spec.service}:${spec.target}`,
      credentials: spec.role.roleArn,
      ...(spec.requestParameters ? { requestParameters: spec.requestParameters } : {}),
      requestTemplates: { 'application/json': spec.requestTemplate },
      passthroughBehavior: 'never',
      timeoutInMillis: spec.timeoutMillis,
      responses: integrationResponses,
    },
    responses: methodResponses,
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
  };
}
