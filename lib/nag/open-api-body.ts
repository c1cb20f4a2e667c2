import { CfnResource, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/** One operation of an OpenAPI body: the route it serves and what the body declares for it. */
export interface OpenApiOperation {
  /** 'GET', 'POST', ..., 'ANY' (for `x-amazon-apigateway-any-method`). */
  readonly method: string;
  /** The path key of the body, e.g. '/items/{id}'. */
  readonly path: string;
  /** The operation object as synthesized (CloudFormation intrinsics resolved to `{ Ref }`, `{ Fn::* }`). */
  readonly operation: Record<string, any>;
}

/** The operation keys of an OpenAPI path item that API Gateway imports as methods. */
const OPERATION_KEYS: Record<string, string> = {
  'get': 'GET', 'put': 'PUT', 'post': 'POST', 'delete': 'DELETE', 'options': 'OPTIONS',
  'head': 'HEAD', 'patch': 'PATCH', 'x-amazon-apigateway-any-method': 'ANY',
};

/**
 * The OpenAPI body of an `AWS::ApiGateway::RestApi`, as it will be in the template, or undefined when
 * `node` is not a RestApi or has no inline body (S3 location, CloudFormation intrinsic, methods as
 * `AWS::ApiGateway::Method` resources).
 *
 * Read from the resource's whole CloudFormation rendering rather than from `CfnRestApi.body`, so
 * that raw overrides (`addPropertyOverride('Body.paths...', ...)`) are seen: an escape hatch that
 * makes a route public must not slip past the rules.
 */
export function openApiBody(node: CfnResource): Record<string, any> | undefined {
  if (node.cfnResourceType !== apigateway.CfnRestApi.CFN_RESOURCE_TYPE_NAME) {
    return undefined;
  }
  const rendered = Stack.of(node).resolve(node._toCloudFormation()) as { Resources?: Record<string, { Properties?: Record<string, any> }> };
  let body: unknown = Object.values(rendered.Resources ?? {})[0]?.Properties?.Body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined; // YAML or an intrinsic: nothing the rules can read
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as any).paths !== 'object') {
    return undefined;
  }
  return body as Record<string, any>;
}

/** Every operation of an OpenAPI body, in body order. */
export function openApiOperations(body: Record<string, any>): OpenApiOperation[] {
  const out: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries<any>(body.paths ?? {})) {
    for (const [key, operation] of Object.entries<any>(item ?? {})) {
      const method = OPERATION_KEYS[key];
      if (method && typeof operation === 'object' && operation !== null) {
        out.push({ method, path, operation });
      }
    }
  }
  return out;
}

/**
 * The security requirements that apply to an operation: its own `security`, else the body's
 * top-level `security` (OpenAPI 3 semantics), else none. Each entry is an alternative.
 */
export function effectiveSecurity(body: Record<string, any>, operation: Record<string, any>): Array<Record<string, string[]>> {
  const security = operation.security ?? body.security ?? [];
  return Array.isArray(security) ? security : [];
}

/**
 * How a rule of `ServerlessApiChecks` names a route in a finding: `GET:/items/{id}`, so that the
 * finding id is `ServerlessApi-RouteAuth[GET:/items/{id}]`. No space: CDK turns spaces of rule ids into
 * '-' when recording an acknowledgement, so an id with one could never be acknowledged.
 */
export function routeFinding(method: string, path: string): string {
  return `${method}:${path}`;
}
