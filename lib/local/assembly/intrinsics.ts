import { createHash } from 'crypto';
import { CfnResource, StageAssembly, StageTemplate } from './cloud-assembly';

/** The value CloudFormation drops (`AWS::NoValue`). */
const NO_VALUE = Symbol('AWS::NoValue');

/** Properties that name a resource physically, by type. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::ApiGateway::Stage': 'StageName',
  'AWS::ApiGateway::DomainName': 'DomainName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
};

/**
 * Resolves CloudFormation intrinsics of a stage's templates to local values: `Ref` and `Fn::GetAtt`
 * of a resource give the name, id or ARN its local counterpart has (a table's local name, a function's
 * name and ARN, a user pool's local id), parameters of nested stacks take what the parent passes,
 * `Fn::ImportValue` / `Fn::GetStackOutput` read the other stacks of the stage, and `Fn::Join`,
 * `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::If`, `Fn::FindInMap`, `Fn::Base64` are evaluated.
 * Local names are deterministic, so a restart resolves to the same tables.
 */
export class StageResolver {
  private readonly byStackName = new Map<string, StageTemplate>();

  constructor(public readonly assembly: StageAssembly) {
    for (const t of assembly.templates) {
      this.byStackName.set(t.stackName, t);
    }
  }

  /** The resolved value; intrinsics that cannot be resolved locally throw, naming the template. */
  public resolve(template: StageTemplate, value: unknown): any {
    const out = this.resolveValue(template, value, 0);
    return out === NO_VALUE ? undefined : out;
  }

  /** `Ref` of a resource: its local name or id. */
  public physicalId(template: StageTemplate, logicalId: string): string {
    const resource = this.resource(template, logicalId);
    const nameProperty = NAME_PROPERTIES[resource.Type];
    const given = nameProperty ? resource.Properties?.[nameProperty] : undefined;
    if (given !== undefined) {
      const name = this.resolve(template, given);
      if (typeof name === 'string') { return name; }
    }
    const seed = `${template.stackName}/${logicalId}`;
    switch (resource.Type) {
      case 'AWS::ApiGateway::RestApi':
      case 'AWS::ApiGateway::ApiKey':
      case 'AWS::ApiGateway::UsagePlan':
      case 'AWS::ApiGateway::Deployment':
      case 'AWS::ApiGateway::Authorizer':
      case 'AWS::ApiGateway::Resource':
        return localId(seed, 10);
      case 'AWS::Cognito::UserPool':
        return `${template.region}_${localId(seed, 9, true)}`;
      case 'AWS::Cognito::UserPoolClient':
        return localId(seed, 26);
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${template.region}:${template.account}:${generatedName(template, logicalId, 256)}`;
      case 'AWS::SQS::Queue':
        return `http://sqs.${template.region}.localhost/${template.account}/${generatedName(template, logicalId, 80)}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${template.region}:${template.account}:stateMachine:${generatedName(template, logicalId, 80)}`;
      case 'AWS::Lambda::Function':
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
        return generatedName(template, logicalId, 64);
      case 'AWS::S3::Bucket':
        return generatedName(template, logicalId, 63).toLowerCase();
      default:
        return generatedName(template, logicalId, 255);
    }
  }

  /** `Fn::GetAtt` of a resource. */
  public attribute(template: StageTemplate, logicalId: string, attribute: string): any {
    const resource = this.resource(template, logicalId);
    const { account, region } = template;
    if (resource.Type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
      const nested = this.assembly.templates.find(t => t.parent?.template === template && t.parent.logicalId === logicalId);
      const output = nested?.template.Outputs?.[attribute.slice('Outputs.'.length)];
      if (!nested || !output) {
        throw new Error(`${template.displayName}: Fn::GetAtt ${logicalId}.${attribute}: no such nested stack output.`);
      }
      return this.resolve(nested, output.Value);
    }
    const id = this.physicalId(template, logicalId);
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::Lambda::Function.Arn': return `arn:aws:lambda:${region}:${account}:function:${id}`;
      case 'AWS::DynamoDB::Table.Arn': return `arn:aws:dynamodb:${region}:${account}:table/${id}`;
      case 'AWS::DynamoDB::Table.StreamArn': return `arn:aws:dynamodb:${region}:${account}:table/${id}/stream/1970-01-01T00:00:00.000`;
      case 'AWS::IAM::Role.Arn': return `arn:aws:iam::${account}:role/${id}`;
      case 'AWS::IAM::Role.RoleId': return `AROA${localId(id, 17).toUpperCase()}`;
      case 'AWS::IAM::User.Arn': return `arn:aws:iam::${account}:user/${id}`;
      case 'AWS::Logs::LogGroup.Arn': return `arn:aws:logs:${region}:${account}:log-group:${id}:*`;
      case 'AWS::SQS::Queue.Arn': return `arn:aws:sqs:${region}:${account}:${id.split('/').pop()}`;
      case 'AWS::SQS::Queue.QueueName': return id.split('/').pop();
      case 'AWS::SQS::Queue.QueueUrl': return id;
      case 'AWS::SNS::Topic.TopicArn': return id;
      case 'AWS::SNS::Topic.TopicName': return id.split(':').pop();
      case 'AWS::S3::Bucket.Arn': return `arn:aws:s3:::${id}`;
      case 'AWS::S3::Bucket.DomainName':
      case 'AWS::S3::Bucket.RegionalDomainName': return `${id}.s3.${region}.amazonaws.com`;
      case 'AWS::Cognito::UserPool.Arn': return `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`;
      case 'AWS::Cognito::UserPool.ProviderName': return `cognito-idp.${region}.amazonaws.com/${id}`;
      case 'AWS::Cognito::UserPool.ProviderURL': return `https://cognito-idp.${region}.amazonaws.com/${id}`;
      case 'AWS::Cognito::UserPool.UserPoolId': return id;
      case 'AWS::Cognito::UserPoolClient.ClientId': return id;
      case 'AWS::ApiGateway::RestApi.RootResourceId': return localId(`${id}/root`, 10);
      case 'AWS::ApiGateway::RestApi.RestApiId': return id;
      case 'AWS::ApiGateway::ApiKey.APIKeyId': return id;
      case 'AWS::ApiGateway::DomainName.DistributionDomainName':
      case 'AWS::ApiGateway::DomainName.RegionalDomainName': return `${localId(id, 14)}.localhost`;
      case 'AWS::ApiGateway::DomainName.DistributionHostedZoneId':
      case 'AWS::ApiGateway::DomainName.RegionalHostedZoneId': return 'Z2FDTNDATAQYW2';
      case 'AWS::StepFunctions::StateMachine.Arn': return id;
      case 'AWS::StepFunctions::StateMachine.Name': return id.split(':').pop();
      case 'AWS::Events::EventBus.Arn': return `arn:aws:events:${region}:${account}:event-bus/${id}`;
      case 'AWS::Events::EventBus.Name': return id;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName': return `${id.toLowerCase()}.elb.${region}.amazonaws.com`;
      case 'AWS::Kinesis::Stream.Arn': return `arn:aws:kinesis:${region}:${account}:stream/${id}`;
      case 'AWS::CertificateManager::Certificate.Arn': return `arn:aws:acm:${region}:${account}:certificate/${localId(id, 36)}`;
      default: return `${id}.${attribute}`;
    }
  }

  /** The resource `logicalId` of `template`; throws naming both when it does not exist. */
  public resource(template: StageTemplate, logicalId: string): CfnResource {
    const resource = template.template.Resources?.[logicalId];
    if (!resource) {
      throw new Error(`${template.displayName}: reference to '${logicalId}', which the template does not have.`);
    }
    return resource;
  }

  private resolveValue(template: StageTemplate, value: unknown, depth: number): any {
    if (depth > 100) {
      throw new Error(`${template.displayName}: intrinsics nested too deeply.`);
    }
    if (Array.isArray(value)) {
      return value.map(v => this.resolveValue(template, v, depth + 1)).filter(v => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.intrinsic(template, keys[0], (value as any)[keys[0]], depth);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.resolveValue(template, v, depth + 1);
      if (resolved !== NO_VALUE) { out[k] = resolved; }
    }
    return out;
  }

  private intrinsic(template: StageTemplate, fn: string, arg: any, depth: number): any {
    const r = (v: unknown) => this.resolveValue(template, v, depth + 1);
    switch (fn) {
      case 'Ref': return this.ref(template, String(arg));
      case 'Fn::GetAtt': {
        const [logicalId, ...attr] = Array.isArray(arg) ? arg.map(x => r(x)) : String(arg).split('.');
        return this.attribute(template, String(logicalId), attr.join('.'));
      }
      case 'Fn::Join': {
        const [separator, parts] = arg;
        return (r(parts) as unknown[]).map(p => (typeof p === 'string' ? p : JSON.stringify(p))).join(separator);
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        const resolvedVars = r(vars ?? {}) as Record<string, unknown>;
        return String(text).replace(/\$\{(!?)([^}]+)\}/g, (whole, bang: string, name: string) => {
          if (bang) { return `\${${name}}`; }
          if (name in resolvedVars) { return String(resolvedVars[name]); }
          if (name.includes('.') && !name.startsWith('AWS::')) {
            const [logicalId, ...attr] = name.split('.');
            return String(this.attribute(template, logicalId, attr.join('.')));
          }
          const ref = this.ref(template, name);
          return ref === NO_VALUE ? whole : String(ref);
        });
      }
      case 'Fn::Select': {
        const [index, list] = arg;
        return (r(list) as unknown[])[Number(r(index))];
      }
      case 'Fn::Split': {
        const [separator, text] = arg;
        return String(r(text)).split(separator);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = arg;
        return this.condition(template, condition, depth) ? r(whenTrue) : r(whenFalse);
      }
      case 'Fn::Equals': return JSON.stringify(r(arg[0])) === JSON.stringify(r(arg[1]));
      case 'Fn::Not': return !this.truthy(template, arg[0], depth);
      case 'Fn::And': return (arg as unknown[]).every(c => this.truthy(template, c, depth));
      case 'Fn::Or': return (arg as unknown[]).some(c => this.truthy(template, c, depth));
      case 'Condition': return this.condition(template, String(arg), depth);
      case 'Fn::FindInMap': {
        const [map, key1, key2] = (arg as unknown[]).map(x => r(x));
        const value = template.template.Mappings?.[String(map)]?.[String(key1)]?.[String(key2)];
        if (value === undefined) {
          throw new Error(`${template.displayName}: Fn::FindInMap ${map}.${key1}.${key2} is not in the template's Mappings.`);
        }
        return value;
      }
      case 'Fn::Base64': return Buffer.from(String(r(arg))).toString('base64');
      case 'Fn::GetAZs': return ['a', 'b', 'c'].map(z => `${template.region}${z}`);
      case 'Fn::ImportValue': return this.importValue(template, String(r(arg)));
      case 'Fn::GetStackOutput': return this.stackOutput(template, r(arg));
      case 'Fn::ToJsonString': return JSON.stringify(r(arg));
      case 'Fn::Length': return (r(arg) as unknown[]).length;
      default:
        throw new Error(`${template.displayName}: the intrinsic ${fn} is not supported by the local server.`);
    }
  }

  private truthy(template: StageTemplate, condition: unknown, depth: number): boolean {
    return Boolean(this.resolveValue(template, condition, depth + 1));
  }

  private condition(template: StageTemplate, name: string, depth: number): boolean {
    const definition = template.template.Conditions?.[name];
    if (definition === undefined) {
      throw new Error(`${template.displayName}: condition '${name}' is not in the template.`);
    }
    return this.truthy(template, definition, depth);
  }

  private ref(template: StageTemplate, name: string): any {
    switch (name) {
      case 'AWS::Region': return template.region;
      case 'AWS::AccountId': return template.account;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return template.stackName.replace(/\//g, '-');
      case 'AWS::StackId': return `arn:aws:cloudformation:${template.region}:${template.account}:stack/${template.stackName.replace(/\//g, '-')}/${localId(template.stackName, 36)}`;
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::NotificationARNs': return [];
    }
    const parameter = template.template.Parameters?.[name];
    if (parameter) {
      const parent = template.parent;
      if (parent) {
        const passed = this.resource(parent.template, parent.logicalId).Properties?.Parameters?.[name];
        if (passed !== undefined) { return this.resolve(parent.template, passed); }
      }
      return parameter.Default ?? '';
    }
    return this.physicalId(template, name);
  }

  private importValue(template: StageTemplate, exportName: string): any {
    for (const t of this.assembly.templates) {
      for (const output of Object.values(t.template.Outputs ?? {})) {
        if (output.Export && this.resolve(t, output.Export.Name) === exportName) {
          return this.resolve(t, output.Value);
        }
      }
    }
    throw new Error(`${template.displayName}: Fn::ImportValue '${exportName}' is exported by no stack of the stage.`);
  }

  private stackOutput(template: StageTemplate, arg: { StackName: string; OutputName: string }): any {
    const stack = this.byStackName.get(arg.StackName);
    const output = stack?.template.Outputs?.[arg.OutputName];
    if (!stack || !output) {
      throw new Error(`${template.displayName}: Fn::GetStackOutput ${arg.StackName}.${arg.OutputName} is not in the stage.`);
    }
    return this.resolve(stack, output.Value);
  }
}

/** A deterministic id of `length` lowercase letters and digits (or upper case and digits). */
export function localId(seed: string, length: number, upper = false): string {
  const alphabet = upper ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' : 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) {
    out += alphabet[bytes[i % bytes.length] % alphabet.length];
    if (i % bytes.length === bytes.length - 1) {
      bytes.set(createHash('sha256').update(bytes).digest());
    }
  }
  return out;
}

/** The name CloudFormation would generate, without its random suffix: `<stack>-<logicalId>`. */
function generatedName(template: StageTemplate, logicalId: string, max: number): string {
  const name = `${template.stackName.replace(/\//g, '-')}-${logicalId}`;
  if (name.length <= max) { return name; }
  const hash = localId(name, 8, true);
  return `${name.slice(0, max - 9)}-${hash}`;
}
