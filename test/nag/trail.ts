/** Helpers for tests of the audit trail: acknowledgements on constructs, and the templates they end up in. */
import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Acknowledged rule ids and reasons that apply to a construct: its own and its ancestors'. */
export function acknowledgements(construct: IConstruct): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const entry of c.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
          const bare = id.replace(/^annotation::/i, '');
          if (!out.has(bare)) { out.set(bare, reason); }
        }
      }
    }
  }
  return out;
}

/** The synthesized template of a resource's stack (a nested stack's own template file). */
export function templateOf(resource: CfnResource): any {
  const stack = Stack.of(resource);
  const assembly = Stage.of(stack)!.synth();
  if (stack.nested) {
    return JSON.parse(fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
  }
  return assembly.getStackArtifact(stack.artifactId).template;
}

export function resourcesOf(scope: IConstruct): CfnResource[] {
  return scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
}
