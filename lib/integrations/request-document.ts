/**
 * The JSON document the library hands a workflow for a request: what the client sent and who sent
 * it, in one shape across integrations.
 *
 * ```json
 * { "body": {...}, "path": { "id": "42" }, "query": { "page": "2" }, "requestId": "c6af9ac6-...",
 *   "caller": { "sourceIp": "203.0.113.7", "userArn": "", "principalId": "", "sub": "" } }
 * ```
 *
 * `body` is the request's JSON (`{}` when empty); `path` has the route's parameters; `caller`
 * fields are '' when the route's authorization does not provide them (`userArn` for IAM, `sub` for
 * Cognito, `principalId` for Lambda authorizers).
 */
import { escaped, escapedTwice } from './mapping-templates';

/**
 * VTL rendering the request document as the content of a JSON string (escaped once): for a service
 * field that takes JSON as a string, e.g. Step Functions' `input`. One line, no line breaks, so it
 * can sit inside a string literal. @internal
 */
export function requestDocumentAsString(pathParameters: string[]): string {
  const q = '\\"';
  const field = (name: string, expression: string): string => `${q}${name}${q}:${q}${escapedTwice(expression)}${q}`;
  const path = pathParameters.map(p => field(p, `$input.params().path.get('${p}')`)).join(',');
  const query = `#foreach($k in $input.params().querystring.keySet())${q}${escapedTwice('$k')}${q}:${q}${escapedTwice('$input.params().querystring.get($k)')}${q}#if($foreach.hasNext),#end#end`;
  const caller = [
    field('sourceIp', '$context.identity.sourceIp'),
    field('userArn', '$context.identity.userArn'),
    field('principalId', '$context.authorizer.principalId'),
    field('sub', '$context.authorizer.claims.get(\'sub\')'),
  ].join(',');
  return `{${q}body${q}:${escaped('$input.json(\'$\')')},${q}path${q}:{${path}},${q}query${q}:{${query}},`
    + `${field('requestId', '$context.requestId')},${q}caller${q}:{${caller}}}`;
}
