import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { GATEWAY_RESPONSE_STATUS } from '../core/gateway-response-types';

/**
 * A change to one gateway response: an error API Gateway answers itself (a throttled request, a
 * rejected token, an invalid body) before or instead of calling the integration.
 */
export interface GatewayResponseOptions {
  /** The response type, e.g. `apigateway.ResponseType.THROTTLED`. */
  readonly type: apigateway.ResponseType;
  /**
   * The HTTP status (400-599).
   * @default - API Gateway's status of the type (THROTTLED 429, UNAUTHORIZED 401, ...)
   */
  readonly statusCode?: number;
  /**
   * The `error.message` of the JSON body, as plain text.
   * @default - API Gateway's message for the error
   */
  readonly message?: string;
  /**
   * Extra response headers with literal values, e.g. `{ 'Retry-After': '1' }`. CORS headers are added
   * by the API when `cors` is set.
   * @default - none
   */
  readonly headers?: { [name: string]: string };
}


/** The library's error shape, the one `lib/runtime/http.ts` answers with. @internal */
export const ERROR_TEMPLATE = (message: string): string =>
  `{"error":{"code":"$context.error.responseType","message":${message},"requestId":"$context.requestId"}}`;
/** The message of a gateway response that is not overridden: API Gateway's own, quoted. @internal */
export const DEFAULT_MESSAGE = '$context.error.messageString';
const HEADER = /^[A-Za-z0-9!#$%&*+.^_`|~-]+$/;

/**
 * The API's gateway responses: every type explicitly, in the library's JSON error shape with its own
 * status, so that each one (and its CORS headers, added by the API's security) is visible in the
 * definition, and overrides per type. A type left to DEFAULT_4XX would also take its template, but an
 * override of DEFAULT_4XX would then silently change it.
 *
 * Cost: about 4.4 KB of the API's OpenAPI body (7.4 KB with CORS headers; the two defaults alone take 0.4 KB), once
 * per API (`BENCH_SECTIONS=sizes npm run bench`, section 9).
 * @internal
 */
export class GatewayResponses {
  private readonly overrides = new Map<string, GatewayResponseOptions>();
  /** Gateway responses an imported OpenAPI document defines, by type, as written there. */
  private readonly documentResponses = new Map<string, Record<string, any>>();

  constructor(private readonly scope: IConstruct) {}

  /** Overrides one type; a later override of the same type replaces the earlier one. */
  public add(options: GatewayResponseOptions, prop = 'gatewayResponses'): void {
    const type = options?.type;
    if (!(type instanceof apigateway.ResponseType) || !(type.responseType in GATEWAY_RESPONSE_STATUS)) {
      throw propError(this.scope, `${prop} type`, type instanceof apigateway.ResponseType ? type.responseType : type,
        'is not an API Gateway response type', `Use apigateway.ResponseType.THROTTLED, .UNAUTHORIZED, ... (one of ${Object.keys(GATEWAY_RESPONSE_STATUS).join(', ')}).`);
    }
    const name = type.responseType;
    if (options.statusCode !== undefined && (!Number.isInteger(options.statusCode) || options.statusCode < 400 || options.statusCode > 599)) {
      throw propError(this.scope, `${prop} ${name} statusCode`, options.statusCode, 'is not an error status from 400 to 599',
        'A gateway response answers an error; use e.g. 429 for THROTTLED.');
    }
    if (options.message !== undefined && (typeof options.message !== 'string' || /[$#\\]/.test(options.message))) {
      throw propError(this.scope, `${prop} ${name} message`, options.message, 'contains \'$\', \'#\' or \'\\\', which the mapping template would evaluate',
        'Write the message as plain text.');
    }
    for (const [header, value] of Object.entries(options.headers ?? {})) {
      if (!HEADER.test(header) || typeof value !== 'string' || value.includes('\'')) {
        throw propError(this.scope, `${prop} ${name} headers`, { [header]: value }, 'is not a header name with a literal value without single quotes',
          'Give e.g. { \'Retry-After\': \'1\' }.');
      }
    }
    this.overrides.set(name, options);
  }

  /**
   * The gateway responses of an imported OpenAPI document: each replaces the library's response of
   * its type, unless `add()` overrides that type (the construct's word wins over the document's).
   */
  public addDocumentResponses(responses: Record<string, any>): void {
    for (const [type, response] of Object.entries(responses ?? {})) {
      this.documentResponses.set(type, response);
    }
  }

  /** The `x-amazon-apigateway-gateway-responses` of the body, before CORS headers are added. */
  public render(): Record<string, any> {
    const responses: Record<string, any> = {};
    for (const [type, response] of this.documentResponses) {
      if (!this.overrides.has(type)) { responses[type] = JSON.parse(JSON.stringify(response)); }
    }
    for (const [type, defaultStatus] of Object.entries(GATEWAY_RESPONSE_STATUS)) {
      if (responses[type] !== undefined) { continue; }
      const override = this.overrides.get(type);
      const status = override?.statusCode ?? defaultStatus;
      const headers = Object.entries(override?.headers ?? {});
      responses[type] = {
        ...(status !== undefined ? { statusCode: String(status) } : {}),
        ...(headers.length > 0 ? { responseParameters: Object.fromEntries(headers.map(([h, v]) => [`gatewayresponse.header.${h}`, `'${v}'`])) } : {}),
        responseTemplates: {
          'application/json': ERROR_TEMPLATE(override?.message !== undefined ? JSON.stringify(override.message) : DEFAULT_MESSAGE),
        },
      };
    }
    return responses;
  }
}
