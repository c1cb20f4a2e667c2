import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { HTTP_METHODS } from '../api/route-path';
import { propError } from '../core/errors';

/**
 * Cross-origin access for browsers. Every path gets an OPTIONS preflight answered by API Gateway
 * itself (no function, no authorization), and gateway errors (401, 403, 429, 5XX) carry CORS
 * headers so the browser shows the real error instead of a CORS failure.
 */
export interface CorsOptions {
  /**
   * The origins allowed to call the API, e.g. ['https://app.example.com'], or ['*'] for any.
   * Functions receive them as the CORS_ALLOW_ORIGINS environment variable (comma-separated).
   */
  readonly allowOrigins: string[];
  /**
   * Methods allowed cross-origin.
   * @default - the methods declared on each path
   */
  readonly allowMethods?: string[];
  /**
   * Request headers allowed cross-origin.
   * @default ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Amz-Date', 'X-Amz-Security-Token']
   */
  readonly allowHeaders?: string[];
  /**
   * Whether browsers may send cookies and HTTP authentication (not needed for bearer tokens in the
   * Authorization header). Not allowed with the '*' origin.
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers cache a preflight answer (browsers cap it: Chrome at 2 hours).
   * @default Duration.hours(1)
   */
  readonly maxAge?: Duration;
}

/** The default `allowHeaders`. */
export const DEFAULT_CORS_HEADERS = ['Content-Type', 'Authorization', 'X-Api-Key', 'X-Amz-Date', 'X-Amz-Security-Token'];

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Validates CORS options; throws naming the prop. @internal */
export function validateCors(scope: IConstruct, cors: CorsOptions): void {
  const origins = cors.allowOrigins;
  if (!Array.isArray(origins) || origins.length === 0) {
    throw propError(scope, 'cors.allowOrigins', origins, 'is empty', 'List the origins allowed to call the API, e.g. [\'https://app.example.com\'].');
  }
  for (const origin of origins) {
    if (origin !== '*' && (typeof origin !== 'string' || !ORIGIN.test(origin))) {
      throw propError(scope, 'cors.allowOrigins', origin, 'is not an origin',
        'An origin is scheme, host and optional port without a path or trailing slash, e.g. \'https://app.example.com\'.');
    }
  }
  if (origins.includes('*') && origins.length > 1) {
    throw propError(scope, 'cors.allowOrigins', origins, 'mixes \'*\' with specific origins', 'Use [\'*\'] alone, or list the origins.');
  }
  if (origins.includes('*') && cors.allowCredentials) {
    throw propError(scope, 'cors.allowCredentials', true, 'is set with the \'*\' origin, which browsers reject',
      'List the allowed origins explicitly, or drop allowCredentials.');
  }
  for (const method of cors.allowMethods ?? []) {
    if (typeof method !== 'string' || !(HTTP_METHODS as readonly string[]).includes(method.toUpperCase())) {
      throw propError(scope, 'cors.allowMethods', method, 'is not an HTTP method', `Use ${HTTP_METHODS.join(', ')}.`);
    }
  }
  if (cors.allowHeaders !== undefined && (cors.allowHeaders.length === 0 || cors.allowHeaders.some(h => typeof h !== 'string' || !HEADER.test(h)))) {
    throw propError(scope, 'cors.allowHeaders', cors.allowHeaders, 'must be a non-empty list of header names',
      `Leave it out for ${DEFAULT_CORS_HEADERS.join(', ')}, or list header names.`);
  }
  if (cors.maxAge !== undefined && !cors.maxAge.isUnresolved() && (cors.maxAge.toSeconds() < 0 || cors.maxAge.toSeconds() > 86400)) {
    throw propError(scope, 'cors.maxAge', cors.maxAge.toHumanString(), 'must be from 0 seconds to 1 day', 'Use e.g. Duration.hours(1).');
  }
}

/** The methods a preflight allows on a path that declares `methods`. @internal */
export function corsMethods(cors: CorsOptions, methods: string[]): string[] {
  const declared = cors.allowMethods ?? methods;
  const upper = declared.map(m => m.toUpperCase());
  const expanded = upper.includes('ANY') ? HTTP_METHODS.filter(m => m !== 'ANY' && m !== 'OPTIONS') : upper;
  return [...new Set([...expanded.filter(m => m !== 'OPTIONS'), 'OPTIONS'])];
}

/** The OPTIONS operation of one path: a MOCK integration answering 204, without authorization. @internal */
export function preflightOperation(cors: CorsOptions, operationId: string, parameters: string[], methods: string[]): Record<string, any> {
  const origins = cors.allowOrigins;
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': `'${origins[0]}'`,
    'Access-Control-Allow-Methods': `'${corsMethods(cors, methods).join(',')}'`,
    'Access-Control-Allow-Headers': `'${(cors.allowHeaders ?? DEFAULT_CORS_HEADERS).join(',')}'`,
    'Access-Control-Max-Age': `'${(cors.maxAge ?? Duration.hours(1)).toSeconds()}'`,
  };
  if (cors.allowCredentials) {
    headers['Access-Control-Allow-Credentials'] = '\'true\'';
  }
  if (origins[0] !== '*') {
    headers.Vary = '\'Origin\'';
  }
  return {
    operationId,
    ...(parameters.length > 0 ? {
      parameters: parameters.map(name => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    } : {}),
    security: [],
    responses: {
      204: {
        description: 'CORS preflight',
        headers: Object.fromEntries(Object.keys(headers).map(h => [h, { schema: { type: 'string' } }])),
      },
    },
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: { 'application/json': '{"statusCode": 204}' },
      passthroughBehavior: 'when_no_match',
      responses: {
        default: {
          statusCode: '204',
          responseParameters: Object.fromEntries(Object.entries(headers).map(([h, v]) => [`method.response.header.${h}`, v])),
          responseTemplates: { 'application/json': echoOriginTemplate(origins) },
        },
      },
    },
  };
}

/**
 * Headers of gateway responses (errors API Gateway answers itself). One allowed origin is sent as
 * is; with several, the request's Origin is echoed (error bodies carry no data, and no credentials
 * header is sent then). @internal
 */
export function gatewayResponseCorsHeaders(cors: CorsOptions): Record<string, string> {
  const origins = cors.allowOrigins;
  if (origins.length === 1) {
    return {
      'gatewayresponse.header.Access-Control-Allow-Origin': `'${origins[0]}'`,
      ...(origins[0] !== '*' ? { 'gatewayresponse.header.Vary': '\'Origin\'' } : {}),
      ...(cors.allowCredentials ? { 'gatewayresponse.header.Access-Control-Allow-Credentials': '\'true\'' } : {}),
    };
  }
  return {
    'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
    'gatewayresponse.header.Vary': '\'Origin\'',
  };
}

/** With several origins the preflight echoes the request's Origin when it is one of them. */
function echoOriginTemplate(origins: string[]): string {
  const others = origins.slice(1);
  if (others.length === 0) { return ''; }
  return [
    '#set($origin = $input.params().header.get("Origin"))',
    '#if($origin == "")',
    '  #set($origin = $input.params().header.get("origin"))',
    '#end',
    `#if(${others.map(o => `$origin == "${o}"`).join(' || ')})`,
    '  #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');
}
