import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { MAX_RESOURCE_POLICY_LENGTH } from './source-ip-policy';
import { propError } from '../core/errors';

/** The OpenAPI extension API Gateway imports as the REST API's resource policy. @internal */
export const POLICY_EXTENSION = 'x-amazon-apigateway-policy';

/**
 * The resource policy of a `ServerlessApi`, rendered into its OpenAPI body as
 * `x-amazon-apigateway-policy` rather than into the RestApi's CloudFormation `Policy` property.
 *
 * Why the body: API Gateway imports the body with PutRestApi on every change of it. A policy kept
 * in the `Policy` property lives beside the body, so a body-only update can clear it and removing
 * the property leaves the old statements on the API (CloudFormation does not send the removal).
 * In the body, the policy is always deployed together with the routes it protects, a body without
 * it removes it, and the Deployment's logical ID (a hash of the whole RestApi) changes with it.
 * Resources use API Gateway's short form `execute-api:/<stage>/<METHOD>/<path>`, which the import
 * expands to the API's own ARN.
 *
 * @internal
 */
export class ApiResourcePolicy {
  public readonly document = new iam.PolicyDocument();

  /** Adds a statement (no-op for duplicates, as in an IAM policy document). */
  public addStatements(...statements: iam.PolicyStatement[]): void {
    this.document.addStatements(...statements);
  }

  /** Writes the policy into the definition, when it has statements. */
  public render(definition: Record<string, any>): void {
    if (!this.document.isEmpty) {
      definition[POLICY_EXTENSION] = this.document;
    }
  }

  /** Validation errors: policy too long for API Gateway, or a `Policy` property set beside the body. */
  public validate(scope: IConstruct, restApi: apigateway.SpecRestApi): string[] {
    const errors: string[] = [];
    const stack = Stack.of(scope);
    // From the whole rendering, so that an addPropertyOverride('Policy', ...) is seen too.
    const cfn = restApi.node.defaultChild as apigateway.CfnRestApi;
    const rendered = stack.resolve(cfn._toCloudFormation()) as { Resources?: Record<string, { Properties?: Record<string, any> }> };
    const property = Object.values(rendered.Resources ?? {})[0]?.Properties?.Policy;
    if (property !== undefined) {
      errors.push(propError(scope, 'restApi resource policy', `${property?.Statement?.length ?? 0} statement(s)`, 'is set on the CloudFormation Policy property',
        `The library keeps the resource policy in the OpenAPI body (${POLICY_EXTENSION}), where every body update deploys it: `
        + 'use api.addToResourcePolicy(statement) instead of api.restApi.addToResourcePolicy().').message);
    }
    if (!this.document.isEmpty) {
      const length = JSON.stringify(stack.resolve(this.document)).length;
      if (length > MAX_RESOURCE_POLICY_LENGTH) {
        errors.push(propError(scope, 'resource policy', `${length} characters`, `is longer than API Gateway's ${MAX_RESOURCE_POLICY_LENGTH} characters`,
          'Merge addresses into wider CIDR blocks, or move the filtering to AWS WAF.').message);
      }
    }
    return errors;
  }
}
