import * as fs from 'fs';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A CloudFormation template as JSON. */
export interface StackTemplate {
  readonly [key: string]: any;
}

/** Options of {@link stageTemplates}. */
export interface StageTemplatesOptions {
  /**
   * How templates are keyed: `'file'`, the template's file name in the cloud assembly
   * (`DevApi52A53550.template.json`: the stack's artifact id; nested stacks
   * `<...>.nested.template.json`), or `'path'`, the stack's construct path (`Dev/Api`, nested
   * stacks `Dev/Api/ItemsApi/Routes1`).
   * @default 'file'
   */
  readonly keys?: 'file' | 'path';
}

/**
 * Synthesizes one stage (a `cdk.Stage`, or an `App` for stacks directly in it) and returns every
 * template of it, its nested stacks' templates included, read from the cloud assembly exactly as
 * `cdk synth` writes them (aspects and construct validations have run; an App also runs its
 * validation plugins, a Stage leaves that to its App). Stacks of stages nested inside it are left
 * out: give each stage its own snapshot.
 *
 * ```ts
 * expect.addSnapshotSerializer(assetHashSerializer);
 * expect(stageTemplates(new MyServiceStage(app, 'Prod', { config }))).toMatchSnapshot();
 * ```
 */
export function stageTemplates(stage: Stage, options: StageTemplatesOptions = {}): { [key: string]: StackTemplate } {
  const keys = options.keys ?? 'file';
  if (keys !== 'file' && keys !== 'path') {
    throw new Error(`stageTemplates: keys must be 'file' or 'path' (received ${JSON.stringify(keys)}).`);
  }
  const assembly = stage.synth();
  const stacks = stacksOf(stage);
  if (stacks.length === 0) {
    throw new Error(`stageTemplates: '${stage.node.path || 'App'}' holds no stack. Add a Stack to it, or pass the Stage that holds your stacks.`);
  }
  const templates: { [key: string]: StackTemplate } = {};
  for (const stack of stacks.sort((a, b) => a.templateFile.localeCompare(b.templateFile))) {
    const file = path.join(assembly.directory, stack.templateFile);
    templates[keys === 'path' ? stack.node.path : stack.templateFile] = JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  return templates;
}

/** The stacks (nested stacks included) whose templates the stage itself writes. */
function stacksOf(stage: Stage): Stack[] {
  const stacks: Stack[] = [];
  const visit = (construct: IConstruct): void => {
    if (construct !== stage && Stage.isStage(construct)) {
      return; // a nested stage writes its own assembly
    }
    if (Stack.isStack(construct)) {
      stacks.push(construct);
    }
    construct.node.children.forEach(visit);
  };
  visit(stage);
  return stacks;
}
