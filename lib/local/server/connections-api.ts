import { evaluatePolicy } from '../auth/iam-policy';
import { verifySigV4 } from '../auth/sigv4';
import type { HttpResponse } from '../gateway/gateway-responses';
import type { GatewayRequest } from '../gateway/proxy-event';
import type { WebSocketGateway } from '../websocket/websocket-gateway';
import type { LocalStage } from './local-stage';

/** `<stage prefix>/@connections/{connectionId}`: group 1 the prefix ('' or '/dev'), group 2 the id. */
export const CONNECTIONS_PATH = /^(.*)\/(?:@|%40)connections\/([^/]+)$/;

/**
 * The `@connections` management API of a WebSocket API stage on the local server, so
 * `@aws-sdk/client-apigatewaymanagementapi` (and the library's `WebSocketConnections`) works from a
 * locally run function: SigV4 for service `execute-api`, checked against the stage's local
 * credentials; `execute-api:ManageConnections` on `<api arn>/<stage>/<METHOD>/@connections/<id>` from
 * the caller's identity policies; POST (send, 200), GET (connection info, 200), DELETE (close, 204);
 * 410 GoneException for a connection that is not open, as API Gateway answers.
 */
export async function handleConnections(stage: LocalStage, request: GatewayRequest, gateway: WebSocketGateway, encodedId: string): Promise<HttpResponse> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of request.rawHeaders) { headers[name.toLowerCase()] = value; }
  if (!['POST', 'GET', 'DELETE'].includes(request.method)) {
    return error(404, 'NotFoundException', 'Not Found', request.requestId);
  }
  const verdict = await verifySigV4(
    { method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery, headers, body: request.body },
    { region: gateway.api.region, service: 'execute-api' },
    id => stage.identity(id)?.credentials,
    new Date(request.requestTimeEpoch),
  );
  if (!verdict.ok) {
    return error(403, verdict.missing ? 'MissingAuthenticationTokenException' : verdict.errorType, verdict.message, request.requestId);
  }
  const caller = stage.identity(verdict.accessKeyId)!;
  let connectionId: string;
  try {
    connectionId = decodeURIComponent(encodedId);
  } catch {
    return error(400, 'BadRequestException', 'Invalid connectionId', request.requestId);
  }
  const resource = gateway.arn(`${request.method}/@connections/${connectionId}`);
  const decision = evaluatePolicy(caller.principal?.statements ?? [], {
    action: 'execute-api:ManageConnections', resource, principalArn: caller.principalArn, principalAccount: caller.account,
    context: { 'aws:SourceIp': request.sourceIp, 'aws:PrincipalArn': caller.principalArn },
  });
  if (decision !== 'Allow') {
    return error(403, 'AccessDeniedException',
      `User: ${caller.callerArn} is not authorized to perform: execute-api:ManageConnections on resource: ${resource}`, request.requestId);
  }
  const answer = request.method === 'POST' ? gateway.post(connectionId, request.body)
    : request.method === 'GET' ? gateway.get(connectionId) : gateway.delete(connectionId);
  const base: Array<[string, string]> = [['x-amzn-RequestId', request.requestId]];
  if (answer.errorType) { base.push(['x-amzn-ErrorType', answer.errorType]); }
  if (answer.body === undefined) {
    return { statusCode: answer.statusCode, headers: base, body: Buffer.alloc(0) };
  }
  return { statusCode: answer.statusCode, headers: [...base, ['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(answer.body)) };
}

function error(statusCode: number, type: string, message: string, requestId: string): HttpResponse {
  return {
    statusCode,
    headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', type], ['x-amzn-RequestId', requestId]],
    body: Buffer.from(JSON.stringify({ message })),
  };
}
