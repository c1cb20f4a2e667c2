import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { propError } from '../core/errors';
import { AwsIntegrationOptions, credentialsFor, regionOf, renderAwsService, timeoutMillis } from './aws-service';
import { NO_BODY, THROTTLED } from './mapping-templates';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';

/** What an S3 route does with the object its path names. */
export enum S3Action {
  /** `GetObject`: 200 with the object's body and Content-Type, 404 when there is none. */
  GET_OBJECT = 'GET_OBJECT',
  /** `PutObject`: stores the request body with its Content-Type, answers 204. */
  PUT_OBJECT = 'PUT_OBJECT',
  /** `DeleteObject`: answers 204 (also when there was no object: S3 deletes are idempotent). */
  DELETE_OBJECT = 'DELETE_OBJECT',
}

/** Options of {@link Integration.s3}. */
export interface S3IntegrationOptions extends AwsIntegrationOptions {
  /** The operation. */
  readonly action: S3Action;
  /**
   * The object key, with the route's path parameters in braces: 'uploads/{id}.json', 'site/{proxy}'
   * (for a greedy '{proxy+}' route). Every path parameter of the route must appear in it.
   */
  readonly key: string;
  /**
   * PUT_OBJECT only: the Content-Types the route accepts (others are answered 415). Text types only:
   * binary bodies would need the API's binary media types, which this library does not set.
   * @default ['application/json']
   */
  readonly contentTypes?: string[];
}

const KEY_PART = /^[A-Za-z0-9!\-_.*'()/]+$/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/**
 * A route → one S3 object, its key built from the path. The role's grants are scoped to the key's
 * prefix (`uploads/*` for 'uploads/{id}.json'): a request cannot reach another part of the bucket,
 * even with '..' in a parameter.
 * @internal
 */
export class S3IntegrationKind implements IntegrationKind {
  constructor(private readonly bucket: s3.IBucket, private readonly options: S3IntegrationOptions) {}

  public bind(context: IntegrationBindContext): BoundIntegration {
    const { bucket } = this;
    const options = this.options ?? {} as S3IntegrationOptions;
    const prop = `route '${context.routeKey}' integration`;
    if (!bucket || typeof bucket.bucketArn !== 'string') {
      throw propError(context.api, prop, bucket, 'has no bucket', 'Pass an s3.IBucket: Integration.s3(bucket, { action, key }).');
    }
    const action = options.action;
    if (!Object.values(S3Action).includes(action)) {
      throw propError(context.api, `${prop} action`, action, 'is not an S3Action', 'Use S3Action.GET_OBJECT, PUT_OBJECT or DELETE_OBJECT.');
    }
    if (options.requestTemplate !== undefined || options.responseTemplate !== undefined) {
      throw propError(context.api, `${prop} ${options.requestTemplate !== undefined ? 'requestTemplate' : 'responseTemplate'}`, 'a template',
        'is not supported for S3: objects pass through as they are', 'Drop it; use Integration.lambda for transformed objects.');
    }
    const key = options.key;
    if (typeof key !== 'string' || key === '' || key.startsWith('/')) {
      throw propError(context.api, `${prop} key`, key, 'must be a key template without a leading \'/\'', 'Use e.g. \'uploads/{id}.json\'.');
    }
    const used: string[] = [];
    for (const part of key.split(/(\{[^}]*\})/).filter(Boolean)) {
      const parameter = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(part)?.[1];
      if (parameter !== undefined) {
        if (!context.parsed.parameters.includes(parameter)) {
          throw propError(context.api, `${prop} key`, key, `uses the parameter {${parameter}}, which route '${context.routeKey}' does not have`,
            `Use the route's path parameters: ${context.parsed.parameters.map(p => `{${p}}`).join(', ') || '(none: add one to the path)'}.`);
        }
        used.push(parameter);
      } else if (part.includes('{') || part.includes('}') || !KEY_PART.test(part)) {
        throw propError(context.api, `${prop} key`, key, `has the part '${part}' that is not a plain key part or a whole {parameter}`,
          'Use letters, digits and ! - _ . * \' ( ) / between parameters, e.g. \'uploads/{id}.json\'.');
      }
    }
    for (const name of context.parsed.parameters) {
      if (!used.includes(name)) {
        throw propError(context.api, `${prop} key`, key, `does not use the route's path parameter '${name}'`,
          `Put {${name}} in the key, or drop it from the path: two URLs would name one object.`);
      }
    }
    const contentTypes = options.contentTypes ?? ['application/json'];
    if (options.contentTypes !== undefined && action !== S3Action.PUT_OBJECT) {
      throw propError(context.api, `${prop} contentTypes`, options.contentTypes, `applies to PUT_OBJECT, not ${action}`, 'Drop it.');
    }
    if (!Array.isArray(contentTypes) || contentTypes.length === 0 || contentTypes.some(t => typeof t !== 'string' || !MEDIA_TYPE.test(t))) {
      throw propError(context.api, `${prop} contentTypes`, contentTypes, 'must be a non-empty list of lower-case media types', 'Use e.g. [\'application/json\', \'text/plain\'].');
    }
    const timeout = timeoutMillis(context, `${prop} timeout`, options.timeout);
    // The grant covers the key's fixed prefix: 'uploads/{id}.json' → 'uploads/*'.
    const prefix = key.split('{')[0];
    const pattern = `${prefix}*`;
    const role = credentialsFor(context, bucket, 'bucket', options, [{
      key: `s3:${action} ${bucket.node.path}/${pattern}`,
      grant: grantee => (action === S3Action.GET_OBJECT ? bucket.grantRead(grantee, pattern)
        : action === S3Action.PUT_OBJECT ? bucket.grantPut(grantee, pattern) : bucket.grantDelete(grantee, pattern)),
    }]);
    if (!options.credentialsRole) {
      acknowledgePrefixGrant(role, `${bucket.node.path}/${pattern}`, action);
    }
    const requestParameters: Record<string, string> = Object.fromEntries(used.map(p => [`integration.request.path.${p}`, `method.request.path.${p}`]));
    const parameters: Array<Record<string, any>> = [];
    if (action === S3Action.PUT_OBJECT) {
      requestParameters['integration.request.header.Content-Type'] = 'method.request.header.Content-Type';
      parameters.push({ name: 'Content-Type', in: 'header', required: false, schema: { type: 'string' } });
    }
    const httpMethod = action === S3Action.GET_OBJECT ? 'GET' : action === S3Action.PUT_OBJECT ? 'PUT' : 'DELETE';
    return {
      render: render => {
        const rendered = renderAwsService(context, {
          service: 's3',
          target: `path/${bucket.bucketName}/${key}`,
          region: regionOf(context, bucket),
          httpMethod,
          role,
          requestParameters,
          requestTemplate: action === S3Action.PUT_OBJECT ? '$input.body' : '',
          timeoutMillis: timeout,
          parameters,
          success: action === S3Action.GET_OBJECT
            ? { statusCode: 200, headers: { 'Content-Type': 'integration.response.header.Content-Type', 'ETag': 'integration.response.header.ETag' } }
            : { statusCode: 204, template: NO_BODY },
          // S3 answers errors in XML: they are told apart by status. A missing key is 404 (the GET role
          // may list the prefix, so S3 does not disguise it as 403).
          statusErrors: { 404: { status: 404, code: 'NotFound', message: 'No object has this key.' }, 503: THROTTLED },
          clientErrors: [],
        }, render);
        if (action === S3Action.PUT_OBJECT) {
          rendered.integration.requestTemplates = Object.fromEntries(contentTypes.map(t => [t, '$input.body']));
        }
        return rendered;
      },
    };
  }
}

/**
 * S3's grant methods use wildcard actions (`s3:GetObject*` covers the object, its versions, ACL and
 * tagging) on the objects under a prefix (`bucket/uploads/*`): cdk-nag's AwsSolutions-IAM5 flags
 * each. They are acknowledged one by one, by the finding's exact id, on the role's policy: the role
 * serves only routes with this very grant, so every wildcard in it is this grant's.
 */
function acknowledgePrefixGrant(role: iam.IRole, objects: string, action: S3Action): void {
  const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
  if (!policy) { return; }
  const document = Stack.of(policy).resolve(policy.document.toJSON()) as { Statement?: any[] };
  const ids = new Set<string>();
  for (const statement of document.Statement ?? []) {
    for (const a of [statement.Action ?? []].flat()) {
      if (String(a).includes('*')) { ids.add(`Action::${a}`); }
    }
    for (const r of [statement.Resource ?? []].flat()) {
      const flat = flattenReference(r);
      if (flat.includes('*')) { ids.add(`Resource::${flat}`); }
    }
  }
  for (const id of ids) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[${id}]`,
      reason: `API Gateway's role for S3 ${action} routes holds the bucket's own grant (grant${action === S3Action.GET_OBJECT ? 'Read'
        : action === S3Action.PUT_OBJECT ? 'Put' : 'Delete'}) on ${objects} only: the objects the routes' key template can name. `
        + 'S3 defines these actions as families (object, version, ACL, tagging); no other resource is granted.',
    });
  }
}

/** A CloudFormation reference as cdk-nag names it in finding ids (`<Bucket1234.Arn>/uploads/*`). */
function flattenReference(node: unknown): string {
  if (node === undefined) { return ''; }
  if (typeof node === 'string') { return node.replace(/\$\{/g, '<').replace(/}/g, '>'); }
  const o = node as Record<string, any>;
  if (o['Fn::Join']) { return o['Fn::Join'][1].map(flattenReference).join(o['Fn::Join'][0]); }
  if (o['Fn::Sub']) { return flattenReference(o['Fn::Sub']); }
  if (o['Fn::GetAtt']) { return `<${flattenReference(o['Fn::GetAtt'][0])}.${flattenReference(o['Fn::GetAtt'][1])}>`; }
  if (o['Fn::ImportValue']) { return flattenReference(o['Fn::ImportValue']); }
  if (o.Ref) { return `<${flattenReference(o.Ref)}>`; }
  return JSON.stringify(node);
}
