import { Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { ServerlessWebSocketApi } from './serverless-websocket-api';
import { propError } from '../core/errors';
import { ApiDomain } from '../domain/api-domain';
import { certificateRegion } from '../domain/certificate-region';

/** A WebSocket API served under a path of a custom domain. */
export interface WebSocketDomainMapping {
  /** The API whose stage serves the path. */
  readonly api: ServerlessWebSocketApi;
  /**
   * The path after the domain, e.g. 'chat' for wss://ws.example.com/chat.
   * @default - the domain root
   */
  readonly mappingKey?: string;
}

/** Settings of a WebSocket custom domain, shared by {@link WebSocketDomainProps} and `ServerlessWebSocketApi.addDomain`. */
export interface WebSocketDomainOptions {
  /**
   * The domain, lowercase, e.g. 'ws.example.com'. It cannot be the domain of a REST API: API Gateway
   * does not map WebSocket APIs on a domain that serves REST or HTTP APIs. Use a name next to it.
   */
  readonly domainName: string;
  /**
   * The public hosted zone holding `domainName`: the library validates the certificate it creates
   * there and writes A and AAAA alias records.
   * @default - no DNS record; `certificate` is then required
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * An existing certificate for `domainName`, in the stack's region.
   * @default - a DNS-validated certificate in the stack's region
   */
  readonly certificate?: acm.ICertificate;
  /**
   * REGIONAL, the only type API Gateway offers WebSocket APIs: an EDGE value fails at synth with the
   * reason (it exists so that a setting copied from a REST domain is caught, not ignored).
   * @default apigateway.EndpointType.REGIONAL
   */
  readonly endpointType?: apigateway.EndpointType;
}

/** Props of {@link WebSocketDomain}. */
export interface WebSocketDomainProps extends WebSocketDomainOptions {
  /**
   * APIs to map now; more with `addMapping`.
   * @default - none
   */
  readonly mappings?: WebSocketDomainMapping[];
}

const DOMAIN_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const MAPPING_KEY = /^[A-Za-z0-9$_.+!*'()-]+(\/[A-Za-z0-9$_.+!*'()-]+)*$/;

/**
 * A REGIONAL custom domain for WebSocket APIs: its certificate (created in the stack's region,
 * DNS-validated, or given), the API Gateway domain name (TLS 1.2), the API mappings and the A/AAAA
 * alias records.
 *
 * WebSocket APIs get a domain of their own: API Gateway does not map them on a domain that serves a
 * REST API (synth fails if an `ApiDomain` of the app has the same name), and offers them no
 * edge-optimized endpoint. Put it next to the REST domain, e.g. `ws.example.com` beside
 * `api.example.com`, in the same hosted zone.
 *
 * @example
 * chat.addDomain({ domainName: 'ws.example.com', hostedZone: zone }); // wss://ws.example.com
 */
export class WebSocketDomain extends Construct {
  /** The API Gateway domain name. */
  public readonly domain: apigwv2.DomainName;
  /** The domain name, e.g. 'ws.example.com'. */
  public readonly domainName: string;
  /** The certificate the domain serves. */
  public readonly certificate: acm.ICertificate;
  /** The alias records written in the hosted zone (none without a zone). */
  public readonly records: route53.RecordSet[] = [];

  private readonly mappingKeys = new Map<string, ServerlessWebSocketApi>();

  constructor(scope: Construct, id: string, props: WebSocketDomainProps) {
    super(scope, id);
    this.domainName = props.domainName;
    this.validateProps(props);
    this.certificate = props.certificate ?? new acm.Certificate(this, 'Certificate', {
      domainName: this.domainName,
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });
    this.domain = new apigwv2.DomainName(this, 'Resource', {
      domainName: this.domainName,
      certificate: this.certificate,
      endpointType: apigwv2.EndpointType.REGIONAL,
      securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
    });
    this.node.defaultChild = this.domain.node.defaultChild;
    if (props.hostedZone) {
      const target = route53.RecordTarget.fromAlias(new route53targets.ApiGatewayv2DomainProperties(
        this.domain.regionalDomainName, this.domain.regionalHostedZoneId));
      this.records.push(new route53.ARecord(this, 'AliasRecord', { zone: props.hostedZone, recordName: this.domainName, target }));
      this.records.push(new route53.AaaaRecord(this, 'AliasRecordIpv6', { zone: props.hostedZone, recordName: this.domainName, target }));
    }
    for (const mapping of props.mappings ?? []) {
      this.addMapping(mapping.api, mapping.mappingKey ?? '');
    }
    this.node.addValidation({ validate: () => this.checkNoRestDomainOfSameName() });
  }

  /** The domain's URL, e.g. 'wss://ws.example.com'. */
  public get url(): string {
    return `wss://${this.domainName}`;
  }

  /** Serves `api`'s stage at `mappingKey` ('' for the root, 'chat' for wss://ws.example.com/chat). */
  public addMapping(api: ServerlessWebSocketApi, mappingKey: string = ''): apigwv2.ApiMapping {
    if (Token.isUnresolved(mappingKey)) {
      throw propError(this, 'mappingKey', mappingKey, 'is a token', 'Give mapping keys as literal strings, e.g. \'chat\'.');
    }
    if (mappingKey !== '' && (!MAPPING_KEY.test(mappingKey) || mappingKey.length > 300)) {
      throw propError(this, 'mappingKey', mappingKey, 'is not a valid API mapping path',
        'Use up to 300 letters, digits and $ _ . + ! * \' ( ) -, with \'/\' between levels and none at either end, e.g. \'chat\'.');
    }
    const existing = this.mappingKeys.get(mappingKey);
    if (existing) {
      throw propError(this, 'mappingKey', mappingKey, `is already mapped to ${existing.node.path}`, 'Map each path once, e.g. \'chat\' and \'notifications\'.');
    }
    this.mappingKeys.set(mappingKey, api);
    return new apigwv2.ApiMapping(this, `Mapping${this.mappingKeys.size}`, {
      api: api.webSocketApi,
      domainName: this.domain,
      stage: api.stage,
      apiMappingKey: mappingKey === '' ? undefined : mappingKey,
    });
  }

  private validateProps(props: WebSocketDomainProps): void {
    const name = props.domainName;
    if (!Token.isUnresolved(name)) {
      if (typeof name !== 'string' || /[A-Z]/.test(name)) {
        throw propError(this, 'domainName', name, 'has uppercase letters', `API Gateway accepts lowercase domain names only: use '${String(name).toLowerCase()}'.`);
      }
      if (!DOMAIN_NAME.test(name)) {
        throw propError(this, 'domainName', name, 'is not a valid domain name', 'Use lowercase labels of letters, digits and hyphens separated by dots, e.g. \'ws.example.com\'.');
      }
    }
    const type = props.endpointType ?? apigateway.EndpointType.REGIONAL;
    if (type !== apigateway.EndpointType.REGIONAL) {
      throw propError(this, 'endpointType', type, 'is not available for WebSocket APIs',
        'API Gateway serves WebSocket custom domains as REGIONAL only (no edge-optimized or private WebSocket domains): drop endpointType, '
        + 'and put CloudFront in front yourself if you need edge locations.');
    }
    if (!props.certificate && !props.hostedZone) {
      throw propError(this, 'hostedZone', undefined, 'is missing and no certificate is given',
        'Give hostedZone (the library creates a certificate validated against it) or an existing certificate from the stack\'s region.');
    }
    const zoneName = props.hostedZone && !Token.isUnresolved(props.hostedZone.zoneName) ? props.hostedZone.zoneName.replace(/\.$/, '') : undefined;
    if (zoneName !== undefined && !Token.isUnresolved(name) && name !== zoneName && !name.endsWith(`.${zoneName}`)) {
      throw propError(this, 'domainName', name, `is not inside the hosted zone '${zoneName}'`, `Use a name ending in '.${zoneName}'.`);
    }
    if (props.certificate) {
      const arn = props.certificate.certificateArn;
      const region = certificateRegion(props.certificate);
      const stackRegion = Stack.of(this).region;
      if (region !== undefined && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
        throw propError(this, 'certificate', Token.isUnresolved(arn) ? props.certificate.node.path : arn,
          `is in ${region}, but a REGIONAL domain's certificate must be in the stack's region ${stackRegion}`,
          `Pass a certificate from ${stackRegion}, or omit certificate and give hostedZone to have one created there.`);
      }
    }
  }

  /** API Gateway refuses a WebSocket mapping on a domain that serves REST APIs. */
  private checkNoRestDomainOfSameName(): string[] {
    if (Token.isUnresolved(this.domainName)) { return []; }
    const rest = this.node.root.node.findAll().find((c): c is ApiDomain => c instanceof ApiDomain && c.domainName === this.domainName
      && Stack.of(c).account === Stack.of(this).account && Stack.of(c).region === Stack.of(this).region);
    return rest ? [
      propError(this, 'domainName', this.domainName, `is also the domain of the REST API domain ${rest.node.path}`,
        'API Gateway cannot map WebSocket APIs on a domain that serves REST APIs: give the WebSocket API its own name next to it, '
        + `e.g. 'ws.${this.domainName}'.`).message,
    ] : [];
  }
}
