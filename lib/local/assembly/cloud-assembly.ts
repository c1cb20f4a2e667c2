import * as fs from 'fs';
import * as path from 'path';

/** A CloudFormation template as `cdk synth` writes it. */
/** What identifies an API of a stage (REST or WebSocket) as the local server serves it. */
export interface StageApiIdentity {
  /** The logical ID of its AWS::ApiGateway::RestApi / AWS::ApiGatewayV2::Api resource. */
  readonly logicalId: string;
  /** Its construct path. */
  readonly path: string;
  /** Its API id: the physical id the local server gives the resource (what `Ref` resolves to). */
  readonly id: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
}

export interface CfnTemplate {
  readonly Resources?: { [logicalId: string]: CfnResource };
  readonly Outputs?: { [name: string]: { Value: unknown; Export?: { Name: unknown } } };
  readonly Parameters?: { [name: string]: { Type: string; Default?: unknown } };
  readonly Conditions?: { [name: string]: unknown };
  readonly Mappings?: { [name: string]: { [key: string]: { [key: string]: unknown } } };
}

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: { [key: string]: any };
  readonly Metadata?: { [key: string]: any };
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
}

/** A template of the stage: a stack, or a nested stack inside one. */
export interface StageTemplate {
  /** The stack's name in CloudFormation, e.g. 'Dev-Api'; for a nested stack, the parent's name + '/' + its logical ID. */
  readonly stackName: string;
  /** The construct path of the stack, e.g. 'Dev/Api'. */
  readonly displayName: string;
  readonly template: CfnTemplate;
  /** The directory asset paths of this template are relative to. */
  readonly directory: string;
  readonly account: string;
  readonly region: string;
  /** Set for nested stacks: the template of the parent and the logical ID of the AWS::CloudFormation::Stack resource. */
  readonly parent?: { readonly template: StageTemplate; readonly logicalId: string };
  /** Asset source paths (absolute) by S3 object key, from the stack's asset manifest. */
  readonly assets: ReadonlyMap<string, string>;
}

/** What `readStage` found: every template of one stage, stacks first, then their nested stacks. */
export interface StageAssembly {
  /** The stage's name ('Dev'), or '' for an app whose stacks are not in a stage. */
  readonly stage: string;
  /** The directory of the stage's assembly. */
  readonly directory: string;
  readonly templates: StageTemplate[];
}

const PLACEHOLDER_ACCOUNT = '123456789012';
const PLACEHOLDER_REGION = 'us-east-1';

/**
 * Reads the cloud assembly `cdk synth` wrote (cdk.out): the manifest, the templates of one stage
 * (including nested stack templates) and where each asset lives. Only files are read; the constructs
 * that produced them are never loaded.
 *
 * @param assemblyDir the cdk.out directory
 * @param stage the stage's name ('Dev') or its directory name ('assembly-Dev'); may be omitted when the
 *   assembly has exactly one stage, or none (stacks directly in the app)
 */
export function readStage(assemblyDir: string, stage?: string): StageAssembly {
  const root = path.resolve(assemblyDir);
  const manifest = readManifest(root);
  const stages = Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'cdk:cloud-assembly')
    .map(([id, a]) => ({ id, name: String(a.properties?.displayName ?? id.replace(/^assembly-/, '')), dir: path.join(root, a.properties?.directoryName ?? id) }));
  let chosen: { name: string; dir: string } | undefined;
  if (stage !== undefined && stage !== '') {
    chosen = stages.find(s => s.name === stage || s.id === stage || path.basename(s.dir) === stage);
    if (!chosen) {
      throw new Error(`The cloud assembly ${root} has no stage '${stage}'. Stages: ${stages.map(s => s.name).join(', ') || '(none: the app has no cdk.Stage; leave the stage out)'}.`);
    }
  } else if (stages.length === 1) {
    chosen = stages[0];
  } else if (stages.length > 1) {
    throw new Error(`The cloud assembly ${root} has several stages (${stages.map(s => s.name).join(', ')}): name the one to serve.`);
  }
  const directory = chosen ? chosen.dir : root;
  const templates = readStacks(directory);
  if (templates.length === 0) {
    throw new Error(`The cloud assembly ${directory} has no stacks. Run 'cdk synth' first.`);
  }
  return { stage: chosen?.name ?? '', directory, templates };
}

/** The stage names of an assembly. */
export function listStages(assemblyDir: string): string[] {
  const manifest = readManifest(path.resolve(assemblyDir));
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'cdk:cloud-assembly')
    .map(([id, a]) => String(a.properties?.displayName ?? id));
}

interface Manifest {
  readonly artifacts?: { [id: string]: { type: string; environment?: string; displayName?: string; properties?: any; dependencies?: string[] } };
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${dir} is not a cloud assembly (no manifest.json). Run 'cdk synth' first, or give the directory cdk synth wrote to.`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function readStacks(dir: string): StageTemplate[] {
  const manifest = readManifest(dir);
  const artifacts = manifest.artifacts ?? {};
  const out: StageTemplate[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') { continue; }
    const props = artifact.properties ?? {};
    const [account, region] = parseEnvironment(artifact.environment);
    const assets = new Map<string, string>();
    for (const dep of artifact.dependencies ?? []) {
      const assetArtifact = artifacts[dep];
      if (assetArtifact?.type === 'cdk:asset-manifest') {
        readAssetManifest(path.join(dir, assetArtifact.properties.file), dir, assets);
      }
    }
    const stack: StageTemplate = {
      stackName: props.stackName ?? id,
      displayName: artifact.displayName ?? id,
      template: readJson(path.join(dir, props.templateFile)),
      directory: dir,
      account,
      region,
      assets,
    };
    out.push(stack);
    out.push(...nestedTemplates(stack));
  }
  return out;
}

function nestedTemplates(parent: StageTemplate): StageTemplate[] {
  const out: StageTemplate[] = [];
  for (const [logicalId, resource] of Object.entries(parent.template.Resources ?? {})) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') { continue; }
    const file = assetFile(parent, resource, 'TemplateURL');
    if (!file) {
      throw new Error(`Nested stack ${parent.displayName}/${logicalId}: its template is not in the cloud assembly.`);
    }
    const nested: StageTemplate = {
      stackName: `${parent.stackName}/${logicalId}`,
      displayName: resource.Metadata?.['aws:cdk:path']?.replace(/\.NestedStack\/\.NestedStackResource$/, '') ?? `${parent.displayName}/${logicalId}`,
      template: readJson(file),
      directory: parent.directory,
      account: parent.account,
      region: parent.region,
      parent: { template: parent, logicalId },
      assets: parent.assets,
    };
    out.push(nested, ...nestedTemplates(nested));
  }
  return out;
}

/**
 * The local file of a resource's asset property (Lambda `Code`, nested stack `TemplateURL`): from the
 * resource's `aws:asset:path` metadata (written by the CDK CLI), else from the stack's asset manifest
 * by S3 object key (what an App synthesized in a test writes).
 */
export function assetFile(template: StageTemplate, resource: CfnResource, property: string): string | undefined {
  const metaPath = resource.Metadata?.['aws:asset:path'];
  const metaProperty = resource.Metadata?.['aws:asset:property'];
  if (typeof metaPath === 'string' && (metaProperty === undefined || metaProperty === property)) {
    const file = path.resolve(template.directory, metaPath);
    if (fs.existsSync(file)) { return file; }
  }
  const key = objectKeyOf(resource.Properties?.[property]);
  return key ? template.assets.get(key) : undefined;
}

/** The S3 object key in a Code property ({ S3Key }) or a TemplateURL (a string or Fn::Join ending in the key). */
function objectKeyOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'S3Key' in (value as any)) {
    const key = (value as any).S3Key;
    return typeof key === 'string' ? key : undefined;
  }
  const text = JSON.stringify(value ?? '');
  const match = /([0-9a-f]{64}\.(?:json|zip))/.exec(text);
  return match?.[1];
}

function readAssetManifest(file: string, dir: string, into: Map<string, string>): void {
  if (!fs.existsSync(file)) { return; }
  const manifest = readJson(file);
  for (const [hash, entry] of Object.entries<any>(manifest.files ?? {})) {
    const source = path.resolve(dir, entry.source?.path ?? '');
    into.set(hash, source);
    for (const destination of Object.values<any>(entry.destinations ?? {})) {
      if (typeof destination.objectKey === 'string') {
        into.set(destination.objectKey, source);
      }
    }
  }
}

function parseEnvironment(environment?: string): [string, string] {
  const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '');
  const account = match && /^\d{12}$/.test(match[1]) ? match[1] : PLACEHOLDER_ACCOUNT;
  const region = match && /^[a-z]{2}(-[a-z]+)+-\d$/.test(match[2]) ? match[2] : PLACEHOLDER_REGION;
  return [account, region];
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
