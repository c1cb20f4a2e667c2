import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * CloudFormation's hard limits on one template (stack or nested stack), checked on the templates as
 * synth wrote them, which are the bytes CloudFormation receives (the CLI uploads template files as they
 * are). CDK itself stops at 500 resources but only warns past 1 MB; CloudFormation rejects both.
 * @internal
 */
export const TEMPLATE_LIMITS = {
  resources: 500,
  bytes: 1_000_000,
  outputs: 200,
  parameters: 200,
} as const;

/** The nested stacks ServerlessApi creates for route functions describe themselves with this prefix. @internal */
export const ROUTE_STACK_DESCRIPTION = 'Route functions ';

const REGISTERED = Symbol.for('serverless-api-constructs.TemplateLimitsCheck');

/**
 * A validation plugin over every template of a stage: its size, resources, outputs and parameters
 * against CloudFormation's limits. A template over a limit fails synth, naming the template, its figure,
 * and the fix that fits what it holds (the API's own stack, a nested stack of route functions, or
 * another stack).
 * @internal
 */
export class TemplateLimitsCheck implements IPolicyValidationPlugin {
  /** Registers the check once on the stage (or app) that holds `scope`. */
  public static registerFor(scope: IConstruct): void {
    const stage = Stage.of(scope);
    if (!stage || (stage as any)[REGISTERED]) { return; }
    Object.defineProperty(stage, REGISTERED, { value: true });
    Validations.of(stage).addPlugins(new TemplateLimitsCheck());
  }

  public readonly name = 'ServerlessApi template limits';
  public readonly version = '1.0.0';
  public readonly ruleIds = ['ServerlessApi-TemplateBytes', 'ServerlessApi-TemplateResources', 'ServerlessApi-TemplateOutputs', 'ServerlessApi-TemplateParameters'];

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    for (const { stackConstructPath, templatePath } of context.stackTemplates) {
      const text = fs.readFileSync(templatePath, 'utf8');
      const template = JSON.parse(text);
      const file = path.basename(templatePath);
      const kind = kindOf(template);
      const figures: Array<[string, string, number, number]> = [
        ['ServerlessApi-TemplateBytes', 'bytes', Buffer.byteLength(text), TEMPLATE_LIMITS.bytes],
        ['ServerlessApi-TemplateResources', 'resources', Object.keys(template.Resources ?? {}).length, TEMPLATE_LIMITS.resources],
        ['ServerlessApi-TemplateOutputs', 'outputs', Object.keys(template.Outputs ?? {}).length, TEMPLATE_LIMITS.outputs],
        ['ServerlessApi-TemplateParameters', 'parameters', Object.keys(template.Parameters ?? {}).length, TEMPLATE_LIMITS.parameters],
      ];
      for (const [ruleName, what, value, limit] of figures) {
        if (value <= limit) { continue; }
        violations.push({
          ruleName,
          severity: 'error',
          description: `The template ${file} of ${stackConstructPath} has ${value.toLocaleString('en-US')} ${what}, `
            + `over CloudFormation's limit of ${limit.toLocaleString('en-US')} ${what} per template: CloudFormation rejects it.`,
          fix: fixFor(kind, what),
          violatingResources: [{ constructPath: stackConstructPath, templatePath, locations: [] }],
        });
      }
    }
    return { success: violations.length === 0, violations };
  }
}

type TemplateKind = 'api' | 'routes' | 'other';

function kindOf(template: any): TemplateKind {
  if (typeof template.Description === 'string' && template.Description.startsWith(ROUTE_STACK_DESCRIPTION)) { return 'routes'; }
  const resources = Object.values<any>(template.Resources ?? {});
  if (resources.some(r => r?.Type === 'AWS::ApiGateway::RestApi' && r.Properties?.Body !== undefined)) { return 'api'; }
  return 'other';
}

function fixFor(kind: TemplateKind, what: string): string {
  if (kind === 'routes') {
    return 'Lower the API\'s scaling.functionsPerNestedStack (each function costs two resources, one output and about 1.4 KB).';
  }
  if (kind === 'api') {
    return 'One RestApi\'s OpenAPI body lives in this template and grows by 400-600 bytes per route. '
      + 'Split the routes into several ServerlessApis, one per first path segment, each in its own stack and mapped '
      + 'on one ApiDomain (basePath = that segment): each template then holds one part, and each API also stays under '
      + 'API Gateway\'s default quota of 300 resources per API. '
      + (what === 'bytes'
        ? 'Smaller steps: set suppressTemplateIndentation: true on this stack (about a third fewer bytes), and lower scaling.functionsInApiStack.'
        : 'Smaller step: lower scaling.functionsInApiStack so that functions go into nested stacks.');
  }
  return 'Move resources into another stack or a NestedStack'
    + (what === 'bytes' ? ', or set suppressTemplateIndentation: true on the stack.' : '.');
}
