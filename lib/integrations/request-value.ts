import { propError } from '../core/errors';
import type { IntegrationBindContext } from './integration-binding';
import { isTemplateSafe } from './mapping-templates';

type Source =
  | { readonly kind: 'path' | 'query' | 'header' | 'claim' | 'literal'; readonly name: string }
  | { readonly kind: 'requestId' | 'sourceIp' | 'principalId' };

const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * A value taken from the HTTP request for an integration: a path or query parameter, a header, the
 * request id, the caller's IP, a Cognito claim, the Lambda authorizer's principal, or a constant.
 * Used where a service needs one string per request: an SQS FIFO message group, a Kinesis
 * partition key.
 *
 * @example
 * Integration.kinesis(stream, { partitionKey: RequestValue.pathParameter('deviceId') });
 */
export class RequestValue {
  /** A path parameter of the route, e.g. 'id' of '/orders/{id}'. */
  public static pathParameter(name: string): RequestValue {
    return new RequestValue({ kind: 'path', name });
  }

  /** A query string parameter ('' when the request has none). */
  public static queryParameter(name: string): RequestValue {
    return new RequestValue({ kind: 'query', name });
  }

  /** A request header, by its exact name ('' when the request has none). */
  public static header(name: string): RequestValue {
    return new RequestValue({ kind: 'header', name });
  }

  /** The request's id (unique per request): spreads records evenly, deduplicates retried sends. */
  public static requestId(): RequestValue {
    return new RequestValue({ kind: 'requestId' });
  }

  /** The caller's IP address. */
  public static sourceIp(): RequestValue {
    return new RequestValue({ kind: 'sourceIp' });
  }

  /** A claim of the caller's Cognito token, e.g. 'sub' (Cognito routes). */
  public static claim(name: string): RequestValue {
    return new RequestValue({ kind: 'claim', name });
  }

  /** The principal a Lambda authorizer returned (Lambda-authorized routes). */
  public static principalId(): RequestValue {
    return new RequestValue({ kind: 'principalId' });
  }

  /** A constant. */
  public static literal(value: string): RequestValue {
    return new RequestValue({ kind: 'literal', name: value });
  }

  private constructor(private readonly source: Source) {}

  /** The path parameter this value reads, if any. @internal */
  public get _pathParameter(): string | undefined {
    return this.source.kind === 'path' ? this.source.name : undefined;
  }

  /**
   * The VTL expression of the value (not escaped: wrap it in `jsonString`/`escaped`), checked
   * against the route. @internal
   */
  public _vtl(context: IntegrationBindContext, prop: string): string {
    const s = this.source;
    const fail = (problem: string, fix: string): Error => propError(context.api, prop, 'name' in s ? s.name : s.kind, problem, fix);
    switch (s.kind) {
      case 'requestId': return '$context.requestId';
      case 'sourceIp': return '$context.identity.sourceIp';
      case 'principalId': return '$context.authorizer.principalId';
      case 'literal':
        if (typeof s.name !== 'string' || s.name === '' || !isTemplateSafe(s.name)) {
          throw fail('is not a usable constant (empty, or with quotes, backslashes, $ or #)', 'Use plain text, e.g. \'orders\'.');
        }
        return `'${s.name}'`;
      case 'path':
        if (!context.parsed.parameters.includes(s.name)) {
          throw fail(`names a path parameter that route '${context.routeKey}' does not have`,
            `Use one of: ${context.parsed.parameters.join(', ') || '(the route has none; use RequestValue.requestId() or a header)'}.`);
        }
        return `$input.params().path.get('${s.name}')`;
      default:
        if (typeof s.name !== 'string' || !NAME.test(s.name)) {
          throw fail('is not a valid name', 'Use letters, digits and . _ : - (up to 128 characters).');
        }
        return s.kind === 'query' ? `$input.params().querystring.get('${s.name}')`
          : s.kind === 'header' ? `$input.params().header.get('${s.name}')`
            : `$context.authorizer.claims.get('${s.name}')`;
    }
  }
}
