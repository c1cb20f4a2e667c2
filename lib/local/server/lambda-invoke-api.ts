import { evaluatePolicy } from '../auth/iam-policy';
import { verifySigV4 } from '../auth/sigv4';
import type { HttpResponse } from '../gateway/gateway-responses';
import type { GatewayRequest } from '../gateway/proxy-event';
import { LocalStage } from './local-stage';

/** The path of Lambda's Invoke API: POST /2015-03-31/functions/{FunctionName}/invocations. */
export const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * Lambda's Invoke API on the local server, so `@aws-sdk/client-lambda` (endpoint set to the local
 * server) invokes the stage's functions: SigV4 for service `lambda` in the stage's region, checked
 * against the local credentials of the stage's principals; `lambda:InvokeFunction` on the function's
 * ARN from the caller's identity policies; RequestResponse (200, `X-Amz-Function-Error: Unhandled` on
 * a function error), Event (202) and DryRun (204) invocation types; Lambda's error shapes
 * (ResourceNotFoundException 404, AccessDeniedException 403, InvalidSignatureException 403).
 */
export async function handleInvoke(stage: LocalStage, request: GatewayRequest, encodedName: string): Promise<HttpResponse> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of request.rawHeaders) { headers[name.toLowerCase()] = value; }
  const region = stage.model.region;
  const verdict = await verifySigV4(
    { method: request.method, rawPath: request.rawPath, rawQuery: request.rawQuery, headers, body: request.body },
    { region, service: 'lambda' },
    id => stage.identity(id)?.credentials,
    new Date(request.requestTimeEpoch),
  );
  if (!verdict.ok) {
    return error(403, verdict.missing ? 'MissingAuthenticationTokenException' : verdict.errorType, verdict.message, request.requestId);
  }
  const caller = stage.identity(verdict.accessKeyId)!;
  let nameOrArn: string;
  try {
    nameOrArn = decodeURIComponent(encodedName);
  } catch {
    // Lambda's answer to a FunctionName outside its pattern.
    return error(400, 'ValidationException', `1 validation error detected: Value '${encodedName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern`, request.requestId);
  }
  const spec = stage.functionSpec(nameOrArn);
  const qualifier = new URLSearchParams(request.rawQuery).get('Qualifier');
  const arn = spec ? `${spec.arn}${qualifier ? `:${qualifier}` : ''}` : nameOrArn;
  if (!spec || (qualifier && qualifier !== '$LATEST')) {
    const missing = spec ? arn : (nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:lambda:${region}:${stage.model.account}:function:${nameOrArn}`);
    return error(404, 'ResourceNotFoundException', `Function not found: ${missing}`, request.requestId, 'User');
  }
  const decision = evaluatePolicy(caller.principal?.statements ?? [], {
    action: 'lambda:InvokeFunction', resource: arn, principalArn: caller.principalArn, principalAccount: caller.account,
    context: { 'aws:SourceIp': request.sourceIp, 'aws:PrincipalArn': caller.principalArn },
  });
  if (decision !== 'Allow') {
    const why = decision === 'Deny' ? 'with an explicit deny in an identity-based policy' : 'because no identity-based policy allows the lambda:InvokeFunction action';
    return error(403, 'AccessDeniedException', `User: ${caller.callerArn} is not authorized to perform: lambda:InvokeFunction on resource: ${arn} ${why}`, request.requestId, 'User');
  }
  const invocationType = String(headers['x-amz-invocation-type'] ?? 'RequestResponse');
  let event: unknown;
  try {
    event = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
  } catch {
    return error(400, 'InvalidRequestContentException', 'Could not parse request body into json: Unexpected character', request.requestId, 'User');
  }
  const base: Array<[string, string]> = [['x-amzn-RequestId', request.requestId], ['X-Amz-Executed-Version', '$LATEST']];
  if (invocationType === 'DryRun') {
    return { statusCode: 204, headers: base, body: Buffer.alloc(0) };
  }
  if (invocationType === 'Event') {
    void stage.invoke(spec.name, event, request.requestId);
    return { statusCode: 202, headers: base, body: Buffer.alloc(0) };
  }
  const outcome = (await stage.invoke(spec.name, event, request.requestId))!;
  if (outcome.error) {
    return {
      statusCode: 200,
      headers: [...base, ['Content-Type', 'application/json'], ['X-Amz-Function-Error', 'Unhandled']],
      body: Buffer.from(JSON.stringify(outcome.error)),
    };
  }
  return {
    statusCode: 200,
    headers: [...base, ['Content-Type', 'application/json']],
    body: Buffer.from(outcome.payload === undefined ? 'null' : JSON.stringify(outcome.payload)),
  };
}

function error(statusCode: number, type: string, message: string, requestId: string, kind?: string): HttpResponse {
  return {
    statusCode,
    headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', type], ['x-amzn-RequestId', requestId]],
    body: Buffer.from(JSON.stringify(kind ? { Type: kind, message } : { message })),
  };
}
