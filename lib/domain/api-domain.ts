import { CfnOutput, CfnResource, Fn, Lazy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { ServerlessApi } from '../api/serverless-api';
import { propError } from '../core/errors';
import { pascal } from '../core/names';
import { certificateRegion } from './certificate-region';

/** The region every edge-optimized custom domain's certificate must live in (CloudFront's). */
export const EDGE_CERTIFICATE_REGION = 'us-east-1';

/** The DNS record(s) an {@link ApiDomain} writes in its hosted zone. */
export enum DomainRecordType {
  /** An A alias record to the domain's target (CloudFront for EDGE), plus AAAA for a dualstack domain. Works at the zone apex. */
  ALIAS = 'ALIAS',
  /** A CNAME to the domain's target. Not allowed at the zone apex. */
  CNAME = 'CNAME',
}

/** An API served under a base path of a custom domain. */
export interface ApiDomainMapping {
  /**
   * The path after the domain, e.g. 'v1', or 'orders/v2' (several levels: REGIONAL domains only).
   * @default - the domain root
   */
  readonly basePath?: string;
  /** The API whose stage serves the path. */
  readonly api: ServerlessApi;
}

/** Settings of a custom domain, shared by {@link ApiDomainProps} and `ServerlessApi.addDomain`. */
export interface ApiDomainOptions {
  /** The custom domain, lowercase, e.g. 'api.example.com'. */
  readonly domainName: string;
  /**
   * The public hosted zone holding `domainName` (import it with
   * `route53.HostedZone.fromHostedZoneAttributes`). The library validates the certificate it creates
   * against this zone and writes the domain's record(s) there.
   * @default - no DNS record; `certificate` is then required
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * An existing certificate for `domainName`: in us-east-1 for an EDGE domain, in the stack's region
   * for a REGIONAL one.
   * @default - a DNS-validated certificate is created (for EDGE in a us-east-1 companion stack)
   */
  readonly certificate?: acm.ICertificate;
  /**
   * EDGE or REGIONAL. PRIVATE custom domains are not supported (see `ApiDomain`). Either serves EDGE
   * and REGIONAL APIs (API Gateway allows both on both).
   * @default - the endpoint type of the first mapped API, else EDGE
   */
  readonly endpointType?: apigateway.EndpointType;
  /**
   * The TLS version and ciphers clients must use. Multi-level base paths need TLS 1.2 or later.
   * @default apigateway.SecurityPolicy.TLS_1_2
   */
  readonly securityPolicy?: apigateway.SecurityPolicy;
  /**
   * Mutual TLS: the truststore (bucket and key) of the client certificates. REGIONAL domains only.
   * @default - no mutual TLS
   */
  readonly mutualTls?: apigateway.MTLSConfig;
  /**
   * Which IP addresses can call the domain. Alias records: A always, AAAA only for DUAL_STACK.
   * @default - DUAL_STACK, as AWS recommends; IPV4 when an API given in `mappings` is IPv4
   */
  readonly ipAddressType?: apigateway.IpAddressType;
  /**
   * Alias records (A, plus AAAA for a dualstack domain) or a CNAME. Ignored without `hostedZone`.
   * @default DomainRecordType.ALIAS
   */
  readonly recordType?: DomainRecordType;
  /**
   * Emit the domain's URL as a CloudFormation output (`<domain's ID>Url<hash>`, e.g.
   * `https://api.example.com/`, its description listing the base paths), which `cdk deploy` prints.
   * @default true
   */
  readonly cfnOutputs?: boolean;
}

/** Props of {@link ApiDomain}. */
export interface ApiDomainProps extends ApiDomainOptions {
  /**
   * APIs to map now, each under its base path; more with `addBasePath`.
   * @default - none
   */
  readonly mappings?: ApiDomainMapping[];
}

const BASE_PATH_SEGMENT = /^[A-Za-z0-9$_.+!*'()-]+$/;
const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * A custom domain for one or more ServerlessApis: the certificate, the API Gateway domain name, its
 * base path mappings (e.g. `/v1` and `/v2` to two versions of an API) and its DNS records.
 *
 * The certificate: give one, or give `hostedZone` and the library creates a DNS-validated one. An
 * EDGE domain's certificate must be in us-east-1: when the domain's stack is elsewhere, the library
 * creates the certificate in a companion stack `<stack name>-Certificate` in us-east-1 (same account,
 * same `cdk.Stage`, one per stack, shared by its domains), passes its ARN across regions as an output
 * of that stack (`<Domain>CertificateArn`) read with `Fn::GetStackOutput`, and makes the domain's
 * stack depend on it, so `cdk deploy 'Prod/*'` deploys the certificate first. This needs an explicit
 * `env` (account and region) on the stack, and no `crossRegionReferences` stack prop: the weak
 * reference needs no feature flag (`@aws-cdk/core:defaultCrossStackReferences`) in the app, no export
 * writer/reader custom resources, and raises no cross-stack-reference warning.
 *
 * PRIVATE APIs have no custom domain here: API Gateway's private custom domains are a separate
 * resource type (`AWS::ApiGateway::DomainNameV2` with access associations per VPC endpoint) that
 * this construct does not create yet; call a private API through its VPC endpoint.
 *
 * @example
 * const domain = new ApiDomain(this, 'Domain', {
 *   domainName: 'api.example.com',
 *   hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' }),
 *   mappings: [{ basePath: 'v1', api: v1 }, { basePath: 'v2', api: v2 }],
 * });
 */
export class ApiDomain extends Construct {
  /** The API Gateway custom domain name. */
  public readonly domain: apigateway.DomainName;
  /** The domain name, e.g. 'api.example.com'. */
  public readonly domainName: string;
  /** EDGE or REGIONAL. */
  public readonly endpointType: apigateway.EndpointType;
  /** IPv4 only, or dualstack (then the domain also gets an AAAA alias). */
  public readonly ipAddressType: apigateway.IpAddressType;
  /** The certificate the domain serves, given or created. */
  public readonly certificate: acm.ICertificate;
  /** The us-east-1 companion stack holding the created certificate, when the library created one there. */
  public readonly certificateStack?: Stack;
  /** The DNS records written in the hosted zone (A, and AAAA when dualstack, or one CNAME; none without a zone). */
  public readonly records: route53.RecordSet[] = [];
  /** The output holding the domain's URL, unless `cfnOutputs` is false. */
  public readonly urlOutput?: CfnOutput;

  private readonly securityPolicy: apigateway.SecurityPolicy;
  private readonly basePaths = new Map<string, ServerlessApi>();
  private readonly mappingResources = new Map<string, CfnResource>();

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    this.domainName = props.domainName;
    this.endpointType = props.endpointType ?? props.mappings?.[0]?.api.endpointType ?? apigateway.EndpointType.EDGE;
    this.securityPolicy = props.securityPolicy ?? apigateway.SecurityPolicy.TLS_1_2;
    this.ipAddressType = props.ipAddressType
      ?? ((props.mappings ?? []).some(m => m.api.ipAddressType === apigateway.IpAddressType.IPV4) ? apigateway.IpAddressType.IPV4 : apigateway.IpAddressType.DUAL_STACK);
    this.validateProps(props);

    // The created us-east-1 certificate as the domain's stack reads it (see createCertificate).
    let domainCertificate: acm.ICertificate | undefined;
    if (props.certificate) {
      this.certificate = props.certificate;
    } else {
      const created = this.createCertificate(props.hostedZone!);
      this.certificate = created.certificate;
      this.certificateStack = created.stack;
      domainCertificate = created.crossRegion;
    }

    this.domain = new apigateway.DomainName(this, 'Resource', {
      domainName: this.domainName,
      certificate: domainCertificate ?? this.certificate,
      endpointType: this.endpointType,
      securityPolicy: this.securityPolicy,
      endpointAccessMode: isEnhancedPolicy(this.securityPolicy) ? apigateway.EndpointAccessMode.STRICT : undefined,
      mtls: props.mutualTls,
    });
    this.node.defaultChild = this.domain.node.defaultChild;
    // aws-cdk-lib's DomainName has no ipAddressType prop; CloudFormation's EndpointConfiguration does.
    (this.domain.node.defaultChild as apigateway.CfnDomainName).addPropertyOverride('EndpointConfiguration.IpAddressType', this.ipAddressType);

    if (props.hostedZone) {
      this.addRecords(props.hostedZone, props.recordType ?? DomainRecordType.ALIAS);
    }
    for (const mapping of props.mappings ?? []) {
      this.addBasePath(mapping.basePath ?? '', mapping.api);
    }
    if (props.cfnOutputs ?? true) {
      this.urlOutput = new CfnOutput(this, 'Url', {
        value: this.url,
        description: Lazy.string({
          produce: () => `Custom domain of ${this.node.path}; base paths: ${[...this.basePaths.keys()].map(p => `/${p}`).sort().join(', ') || 'none yet'}`,
        }),
      });
    }
  }

  /** The domain's root URL, e.g. 'https://api.example.com/'. */
  public get url(): string {
    return `https://${this.domainName}/`;
  }

  /** The URL of a base path, e.g. urlFor('v1') is 'https://api.example.com/v1/'. */
  public urlFor(basePath: string): string {
    return basePath === '' ? this.url : `${this.url}${basePath}/`;
  }

  /** The APIs mapped so far, keyed by base path ('' for the root). */
  public get mappings(): ApiDomainMapping[] {
    return [...this.basePaths].map(([basePath, api]) => ({ basePath: basePath === '' ? undefined : basePath, api }));
  }

  /**
   * Serves `api`'s stage under `basePath` of this domain: 'v1', 'orders/v2' (REGIONAL only), or ''
   * for the domain root. Each base path maps one API.
   */
  public addBasePath(basePath: string, api: ServerlessApi): void {
    const multiLevel = this.validateBasePath(basePath, api);
    this.basePaths.set(basePath, api);
    // Construct ID (so logical ID) from the base path only, under this domain: a mapping is identified
    // by domain + base path, and re-pointing it to another API must update it in place (RestApiId and
    // Stage are updatable). aws-cdk-lib's addBasePathMapping/addApiMapping put the target API in the ID,
    // so re-pointing creates the new mapping before deleting the old one: 409 "Base path already exists".
    const id = `Mapping:${basePath === '' ? '(root)' : basePath.replace(/\//g, ':')}`;
    if (multiLevel) {
      const mapping = new apigatewayv2.CfnApiMapping(this, id, {
        domainName: this.domain.domainName,
        apiId: api.restApi.restApiId,
        stage: api.stage.stageName,
        apiMappingKey: basePath,
      });
      this.mappingResources.set(basePath, mapping);
    } else {
      const mapping = new apigateway.BasePathMapping(this, id, {
        domainName: this.domain,
        restApi: api.restApi,
        stage: api.stage,
        basePath: basePath === '' ? undefined : basePath,
      });
      this.mappingResources.set(basePath, mapping.node.defaultChild as CfnResource);
    }
  }

  /**
   * The CloudFormation resource mapping `basePath` ('' for the root): an
   * `AWS::ApiGateway::BasePathMapping`, or an `AWS::ApiGatewayV2::ApiMapping` for multi-level paths.
   *
   * Its logical ID depends on the domain and the base path only. Stacks deployed with an earlier
   * version of this library have mappings whose logical IDs named the target API; on upgrade,
   * CloudFormation would create the renamed mapping before deleting the old one, and API Gateway
   * answers 409 for the same base path. Keep the deployed ID once with
   * `domain.mappingResource('v1').overrideLogicalId('<old logical id>')`: it is fixed from then on.
   */
  public mappingResource(basePath: string): CfnResource {
    const mapping = this.mappingResources.get(basePath);
    if (!mapping) {
      throw propError(this, 'basePath', basePath, 'is not mapped on this domain',
        `Use one of: ${[...this.mappingResources.keys()].map(b => `'${b}'`).join(', ') || '(no mappings yet)'}.`);
    }
    return mapping;
  }

  private validateProps(props: ApiDomainProps): void {
    const name = props.domainName;
    if (!Token.isUnresolved(name)) {
      if (/[A-Z]/.test(name)) {
        throw propError(this, 'domainName', name, 'has uppercase letters', `API Gateway accepts lowercase domain names only: use '${name.toLowerCase()}'.`);
      }
      if (!DOMAIN_NAME.test(name)) {
        throw propError(this, 'domainName', name, 'is not a valid domain name', "Use lowercase labels of letters, digits and hyphens separated by dots, e.g. 'api.example.com'.");
      }
    }
    if (this.endpointType === apigateway.EndpointType.PRIVATE) {
      throw propError(this, 'endpointType', this.endpointType, 'is not supported for custom domains',
        'ApiDomain serves EDGE and REGIONAL APIs; call a private API through its VPC endpoint (its execute-api URL with private DNS).');
    }
    if (!props.certificate && !props.hostedZone) {
      throw propError(this, 'hostedZone', undefined, 'is missing and no certificate is given',
        'Give hostedZone (the library creates a certificate validated against it) or an existing certificate.');
    }
    const zoneName = props.hostedZone ? trimDot(props.hostedZone.zoneName) : undefined;
    if (zoneName !== undefined && !Token.isUnresolved(zoneName) && !Token.isUnresolved(name)
      && name !== zoneName && !name.endsWith(`.${zoneName}`)) {
      throw propError(this, 'domainName', name, `is not inside the hosted zone '${zoneName}'`,
        `Use a name ending in '.${zoneName}', or the hosted zone that holds '${name}'.`);
    }
    if (props.recordType === DomainRecordType.CNAME && zoneName !== undefined && name === zoneName) {
      throw propError(this, 'recordType', props.recordType, `is not allowed at the zone apex '${zoneName}'`,
        'DNS forbids a CNAME at the apex: use DomainRecordType.ALIAS.');
    }
    if (props.mutualTls && this.endpointType !== apigateway.EndpointType.REGIONAL) {
      throw propError(this, 'mutualTls', `s3://${props.mutualTls.bucket.bucketName}/${props.mutualTls.key}`, `is set on an ${this.endpointType} domain`,
        'API Gateway supports mutual TLS on REGIONAL domains only: set endpointType: apigateway.EndpointType.REGIONAL, or drop mutualTls.');
    }
    if (props.certificate) {
      this.validateCertificateRegion(props.certificate);
    }
  }

  private validateCertificateRegion(certificate: acm.ICertificate): void {
    const arn = certificate.certificateArn;
    const region = certificateRegion(certificate);
    if (region === undefined) { return; }
    const describeArn = Token.isUnresolved(arn) ? `${certificate.node.path} in ${region}` : arn;
    if (this.endpointType === apigateway.EndpointType.EDGE && region !== EDGE_CERTIFICATE_REGION) {
      throw propError(this, 'certificate', describeArn, `is in ${region}, but an EDGE domain's certificate must be in ${EDGE_CERTIFICATE_REGION}`,
        `Pass a certificate from ${EDGE_CERTIFICATE_REGION}, or omit certificate and give hostedZone: the library then creates one in a ${EDGE_CERTIFICATE_REGION} companion stack.`);
    }
    const stackRegion = Stack.of(this).region;
    if (this.endpointType === apigateway.EndpointType.REGIONAL && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
      throw propError(this, 'certificate', describeArn, `is in ${region}, but a REGIONAL domain's certificate must be in the stack's region ${stackRegion}`,
        `Pass a certificate from ${stackRegion}, or omit certificate and give hostedZone to have one created there.`);
    }
  }

  private validateBasePath(basePath: string, api: ServerlessApi): boolean {
    if (Token.isUnresolved(basePath)) {
      throw propError(this, 'basePath', basePath, 'is a token', 'Give base paths as literal strings, e.g. \'v1\'.');
    }
    if (basePath.startsWith('/') || basePath.endsWith('/')) {
      throw propError(this, 'basePath', basePath, 'starts or ends with \'/\'',
        `Write it without leading or trailing slashes, e.g. '${basePath.replace(/^\/+|\/+$/g, '')}' ('' maps the domain root).`);
    }
    const segments = basePath === '' ? [] : basePath.split('/');
    if (segments.some(s => !BASE_PATH_SEGMENT.test(s))) {
      throw propError(this, 'basePath', basePath, 'has characters API Gateway does not allow in a base path',
        'Use letters, digits and $ _ . + ! * \' ( ) -, with \'/\' between levels, e.g. \'v1\' or \'orders/v2\'.');
    }
    const multiLevel = segments.length > 1;
    if (multiLevel && this.endpointType !== apigateway.EndpointType.REGIONAL) {
      throw propError(this, 'basePath', basePath, `has several levels on an ${this.endpointType} domain`,
        'API Gateway allows multi-level base paths on REGIONAL domains only: use one level (e.g. \'orders-v2\'), or a REGIONAL domain and API.');
    }
    if (multiLevel && this.securityPolicy === apigateway.SecurityPolicy.TLS_1_0) {
      throw propError(this, 'basePath', basePath, 'has several levels on a domain with securityPolicy TLS_1_0',
        'Multi-level base paths need TLS 1.2 or later: keep the default securityPolicy (TLS_1_2).');
    }
    const existing = this.basePaths.get(basePath);
    if (existing) {
      throw propError(this, 'basePath', basePath, `is already mapped to ${existing.node.path}`,
        'Map each base path once: give each API (or version) its own, e.g. \'v1\' and \'v2\'.');
    }
    // "For REST APIs, both edge-optimized and Regional custom domain names can have mappings for
    // edge-optimized API endpoints, Regional API endpoints, or both." Private APIs need a private domain.
    if (api.endpointType === apigateway.EndpointType.PRIVATE) {
      throw propError(this, `mapping '${basePath}' api`, api.node.path, `is a ${api.endpointType} API but the domain is ${this.endpointType}`,
        'ApiDomain does not serve private APIs: call a private API through its VPC endpoint, or make the API EDGE or REGIONAL.');
    }
    if (this.ipAddressType === apigateway.IpAddressType.DUAL_STACK && api.ipAddressType === apigateway.IpAddressType.IPV4) {
      throw propError(this, `mapping '${basePath}' api`, api.node.path, 'is an ipv4 API on a dualstack domain',
        'IPv6 callers would reach it through the domain: make the API dualstack, or the domain ipAddressType IPV4.');
    }
    return multiLevel;
  }

  private createCertificate(zone: route53.IHostedZone): { certificate: acm.ICertificate; stack?: Stack; crossRegion?: acm.ICertificate } {
    const stack = topLevelStack(Stack.of(this));
    if (this.endpointType !== apigateway.EndpointType.EDGE || stack.region === EDGE_CERTIFICATE_REGION) {
      return {
        certificate: new acm.Certificate(this, 'Certificate', {
          domainName: this.domainName,
          validation: acm.CertificateValidation.fromDns(zone),
        }),
      };
    }
    if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
      throw propError(this, 'domainName', this.domainName,
        `needs a certificate in ${EDGE_CERTIFICATE_REGION}, but stack '${stack.node.path}' has no explicit account and region`,
        `Give the stack env: { account, region } so the library can create the certificate in a ${EDGE_CERTIFICATE_REGION} companion stack, or pass a certificate from ${EDGE_CERTIFICATE_REGION}.`);
    }
    if (Token.isUnresolved(zone.hostedZoneId)) {
      throw propError(this, 'hostedZone', zone.node.path, `is defined by a resource of stack '${Stack.of(zone).node.path}'`,
        `The certificate is validated in a ${EDGE_CERTIFICATE_REGION} stack, which cannot reference it: import the zone with route53.HostedZone.fromHostedZoneAttributes, or pass a certificate.`);
    }
    const certificateStack = certificateStackFor(stack);
    const id = `${pascal(this.domainName) || 'Domain'}Certificate`;
    if (certificateStack.node.tryFindChild(id)) {
      throw propError(this, 'domainName', this.domainName, `already has a certificate in stack '${certificateStack.node.path}'`,
        'Create one ApiDomain per domain name and map every API on it with addBasePath.');
    }
    const certificateZone = route53.HostedZone.fromHostedZoneAttributes(certificateStack, `${id}Zone`, {
      hostedZoneId: zone.hostedZoneId,
      zoneName: trimDot(zone.zoneName),
    });
    const certificate = new acm.Certificate(certificateStack, id, {
      domainName: this.domainName,
      validation: acm.CertificateValidation.fromDns(certificateZone),
    });
    // The ARN crosses regions as a weak reference (Fn::GetStackOutput of an output of the companion
    // stack) whatever the app's `@aws-cdk/core:defaultCrossStackReferences`: no export writer/reader
    // custom resources and SSM parameters, and the same template in every app. The output and the
    // read are written here rather than left to CDK's reference resolution, which warns "no
    // cross-stack-reference strength configured, defaulting to strong" in every app without the
    // flag, even for a reference that is weak. The domain's stack depends on the companion stack
    // (certificateStackFor), so `cdk deploy 'Stage/*'` still deploys the certificate first.
    const output = new CfnOutput(certificateStack, `${id}Arn`, {
      value: certificate.certificateArn,
      description: `ARN of the certificate of ${this.domainName}, read by stack ${stack.stackName} (Fn::GetStackOutput)`,
    });
    output.overrideLogicalId(`${id}Arn`);
    const crossRegion = acm.Certificate.fromCertificateArn(this, 'EdgeCertificate',
      Fn.getStackOutput(certificateStack.stackName, `${id}Arn`, EDGE_CERTIFICATE_REGION));
    return { certificate, stack: certificateStack, crossRegion };
  }

  private addRecords(zone: route53.IHostedZone, recordType: DomainRecordType): void {
    if (recordType === DomainRecordType.CNAME) {
      this.records.push(new route53.CnameRecord(this, 'CnameRecord', {
        zone,
        recordName: this.domainName,
        domainName: this.domain.domainNameAliasDomainName,
      }));
      return;
    }
    const target = route53.RecordTarget.fromAlias(new route53targets.ApiGatewayDomain(this.domain));
    this.records.push(new route53.ARecord(this, 'AliasRecord', { zone, recordName: this.domainName, target }));
    if (this.ipAddressType === apigateway.IpAddressType.DUAL_STACK) {
      // Only a dualstack domain answers IPv6; an AAAA record for an IPv4 one sends IPv6 clients nowhere.
      this.records.push(new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone, recordName: this.domainName, target }));
    }
  }
}

/**
 * The us-east-1 stack, in the same cdk.Stage and account as `stack`, that holds the edge
 * certificates of `stack`'s domains. Created on first use; `stack` depends on it.
 */
function certificateStackFor(stack: Stack): Stack {
  const stage = Stage.of(stack) ?? stack.node.root;
  const id = `${stack.node.id}-Certificate`;
  const existing = stage.node.tryFindChild(id);
  if (existing) {
    if (!(existing instanceof Stack) || existing.region !== EDGE_CERTIFICATE_REGION) {
      throw propError(stack, 'construct id', id, 'is already used by a construct that is not a us-east-1 stack',
        `Rename that construct: ServerlessApi's edge domains put their certificates in a stack named '${id}'.`);
    }
    return existing;
  }
  const certificateStack = new Stack(stage, id, {
    env: { account: stack.account, region: EDGE_CERTIFICATE_REGION },
    stackName: `${stack.stackName}-Certificate`,
    description: `Certificates (${EDGE_CERTIFICATE_REGION}) of the edge-optimized custom domains of ${stack.stackName}`,
  });
  stack.addStackDependency(certificateStack, 'edge-optimized custom domain certificates live in us-east-1');
  return certificateStack;
}

function topLevelStack(stack: Stack): Stack {
  let current = stack;
  while (current.nestedStackParent) {
    current = current.nestedStackParent;
  }
  return current;
}

function trimDot(name: string): string {
  return Token.isUnresolved(name) ? name : name.replace(/\.$/, '');
}

function isEnhancedPolicy(policy: apigateway.SecurityPolicy): boolean {
  return !Token.isUnresolved(policy) && String(policy).startsWith('SecurityPolicy_');
}
