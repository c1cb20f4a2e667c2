import { App, AspectPriority, Aspects, CfnResource, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
// cdk-nag's index (every pack, 270 modules) is loaded when the audit is enabled, not when the library is
// imported (see serverless-api-checks.ts).
import { WriteNagSuppressionsToCloudFormationAspect } from 'cdk-nag/lib/nag-pack';
import { IConstruct } from 'constructs';
import { ServerlessApiChecks } from './serverless-api-checks';
import { acknowledgeXRayWriteAccess } from './xray-write-access';

/** Props of {@link Audit.enable}. */
export interface AuditProps {
  /**
   * Print each finding with cdk-nag's explanation of why the rule exists.
   * @default true
   */
  readonly verbose?: boolean;
  /**
   * Shortest reason an acknowledgement may give, in characters. A reason must say what is
   * acknowledged and why it is safe; "n/a" or "ok" is not a reason.
   * @default 20
   */
  readonly minReasonLength?: number;
}

const ENABLED = Symbol.for('serverless-api-constructs.Audit.enabled');
const TRAIL = Symbol.for('serverless-api-constructs.Audit.trail');

/**
 * The library's audit: cdk-nag's AwsSolutions rules, and the library's own `ServerlessApiChecks`
 * (route authorization in OpenAPI bodies), over every stack of every stage of an app,
 * failing synth on any error nobody acknowledged, with each acknowledgement copied into the
 * template (`Metadata.cdk_nag.rules_to_suppress`) as the audit trail.
 *
 * Why more than `Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }))`:
 * - that option adds an aspect to the App, and aspects stop at `cdk.Stage` boundaries, so the
 *   templates of stages get no trail. `Audit` adds the writer to every stage.
 * - an aspect runs before CDK's prepare phase, which is when CDK itself adds resources (the
 *   `Custom::CrossRegionExportWriter/Reader` resources and their provider role and function when
 *   cross-region references are strong). `Audit` writes their trail again after prepare, from a
 *   validation of the stage (the last hook before templates are written), so those get it too.
 * - an acknowledgement needs a real reason, and may not sit on an App or a Stage (that would
 *   silence a rule for everything in it): both fail synth.
 *
 * The check itself runs as a validation plugin of the App, after every template is written, so it
 * sees every resource, including those CDK adds late. Under `cdk synth` a finding makes the command
 * exit non-zero; in tests `app.synth()` throws the report.
 *
 * @example
 * const app = new App();
 * new MyStage(app, 'Prod');
 * Audit.enable(app);
 * app.synth();
 */
export class Audit {
  /**
   * Turns the audit on for `app` and every stage in it. Stages created later need
   * `Audit.applyTo(stage)`; synth fails naming any stage that has neither.
   */
  public static enable(app: App, props: AuditProps = {}): void {
    if ((app as any)[ENABLED]) {
      return;
    }
    Object.defineProperty(app, ENABLED, { value: true });
    // No scope: cdk-nag would add its own metadata writer to the App only. Ours covers stages.
    // ServerlessApiChecks reads route authorization in the OpenAPI bodies, which AwsSolutions' APIG4
    // and COG4 cannot see (they read AWS::ApiGateway::Method resources, and ServerlessApi has none).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsSolutionsChecks } = require('cdk-nag') as typeof import('cdk-nag');
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(undefined, { verbose: props.verbose ?? true }),
      new ServerlessApiChecks({ verbose: props.verbose ?? true }),
    );
    const minReasonLength = props.minReasonLength ?? 20;
    for (const stage of stagesOf(app)) {
      Audit.applyTo(stage, minReasonLength);
    }
    app.node.addValidation({
      validate: () => stagesOf(app).filter(s => !(s as any)[TRAIL]).map(s =>
        `Stage '${s.node.path}' was created after Audit.enable(app), so its templates carry no audit trail. ` +
        'Call Audit.enable(app) after creating every stage, or Audit.applyTo(stage) in the stage\'s constructor.'),
    });
  }

  /**
   * Writes the audit trail into the templates of one stage (or app). Idempotent.
   * `Audit.enable` calls it for every stage that exists at the time.
   *
   * @param minReasonLength shortest acknowledgement reason accepted (default 20)
   */
  public static applyTo(stage: Stage, minReasonLength = 20): void {
    if ((stage as any)[TRAIL]) {
      return;
    }
    Object.defineProperty(stage, TRAIL, { value: true });
    const writer = new WriteNagSuppressionsToCloudFormationAspect();
    // Read-only priority: runs after every mutating aspect, which may add acknowledgements.
    Aspects.of(stage).add(writer, { priority: AspectPriority.READONLY });
    // Stage validations run after prepare (resources CDK adds itself exist by then) and before
    // the templates are written: copy the acknowledgements once more, and check them.
    stage.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        for (const construct of constructsOf(stage)) {
          errors.push(...checkAcknowledgements(construct, minReasonLength));
          if (CfnResource.isCfnResource(construct)) {
            writer.visit(construct);
          }
        }
        return errors;
      },
    });
  }

  /**
   * Acknowledges `AwsSolutions-IAM5[Resource::*]` on the role of a function with active X-Ray
   * tracing (xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions),
   * and fails synth if the role ever gets another action on `*`. The library's own function roles
   * do this already; use it for functions you create next to them.
   */
  public static acknowledgeXRayWriteAccess(role: iam.Role): void {
    acknowledgeXRayWriteAccess(role);
  }

  private constructor() {}
}

function checkAcknowledgements(construct: IConstruct, minReasonLength: number): string[] {
  const errors: string[] = [];
  for (const entry of construct.node.metadata) {
    if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) {
      continue;
    }
    for (const [qualifiedId, reason] of Object.entries(entry.data as Record<string, unknown>)) {
      const id = qualifiedId.replace(/^annotation::/i, '');
      if (typeof reason !== 'string' || reason.trim().length < minReasonLength) {
        errors.push(`acknowledges ${id} with the reason ${JSON.stringify(reason)} (under ${minReasonLength} characters). ` +
          'Say what is acknowledged and why it is safe, e.g. \'X-Ray PutTraceSegments has no resource-level permissions\'.');
      }
      if (Stage.isStage(construct) && /^(AwsSolutions|ServerlessApi)-/.test(id)) {
        errors.push(`acknowledges ${id} for a whole ${construct instanceof App ? 'app' : 'stage'}. ` +
          'Acknowledge it on the construct that has the finding (the path in the report), with a reason specific to it.');
      }
    }
  }
  return errors;
}

/** Every construct of `stage`, not descending into nested stages (they have their own trail). */
function constructsOf(stage: Stage): IConstruct[] {
  const out: IConstruct[] = [];
  const visit = (c: IConstruct): void => {
    out.push(c);
    for (const child of c.node.children) {
      if (!Stage.isStage(child)) {
        visit(child);
      }
    }
  };
  visit(stage);
  return out;
}

/** The app and every stage below it. */
function stagesOf(app: App): Stage[] {
  return [app, ...app.node.findAll().filter((c): c is Stage => Stage.isStage(c) && c !== app)];
}
