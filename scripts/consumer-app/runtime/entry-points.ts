// The entry points on the AWS SDK, as a user's Lambda function or script uses them:
// scripts/consumer-check.sh compiles and runs this (tsconfig.runtime.json) once the app has the SDK
// packages installed. RouteInvoker really invokes, through @aws-sdk/client-lambda, a loopback server
// answering as the Lambda Invoke API.
import { createServer } from 'http';
import { AddressInfo } from 'net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { directEvent, RouteInvoker } from 'serverless-api-constructs/client';
import { MAX_MESSAGE_BYTES, WebSocketConnections } from 'serverless-api-constructs/runtime/websocket';
import type { WebSocketEvent, WebSocketResult } from 'serverless-api-constructs/runtime/websocket';

function check(ok: boolean, what: string): void {
  if (!ok) { throw new Error(`consumer-check entry points: ${what}`); }
}

async function main(): Promise<void> {
  const event = directEvent({ method: 'get', resource: '/items/{id}', pathParameters: { id: '42' } });
  check(event.path === '/items/42' && event.httpMethod === 'GET', `directEvent built ${JSON.stringify(event)}`);

  const invoked: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => { body += chunk; });
    req.on('end', () => {
      invoked.push(`${req.method} ${req.url} ${JSON.parse(body).path}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ statusCode: 200, headers: {}, body: '{"id":"42"}' }));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = new LambdaClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDCONSUMERCHECK', secretAccessKey: 'consumer-check' },
    });
    const result = await new RouteInvoker({ functionName: 'get-item', client })
      .invoke({ method: 'GET', resource: '/items/{id}', pathParameters: { id: '42' } });
    check(result.statusCode === 200 && result.body === '{"id":"42"}', `RouteInvoker returned ${JSON.stringify(result)}`);
    check(invoked.join() === 'POST /2015-03-31/functions/get-item/invocations /items/42', `Lambda Invoke calls ${invoked.join()}`);
  } finally {
    server.close();
  }

  const connections = new WebSocketConnections({ tableName: 'connections', endpoint: 'https://abc.execute-api.us-east-1.amazonaws.com/dev' });
  check(connections.tableName === 'connections' && MAX_MESSAGE_BYTES === 131072, 'WebSocketConnections options');
  const onMessage = async (e: WebSocketEvent): Promise<WebSocketResult> => ({ statusCode: 200, body: e.requestContext.connectionId });
  const answer = await onMessage({ requestContext: { connectionId: 'c-1' } } as WebSocketEvent);
  check(answer.body === 'c-1', 'a handler typed with WebSocketEvent');
  console.log('  entry points client and runtime/websocket: typechecked and ran with the AWS SDK installed');
}

main().catch(e => { console.error(e); process.exit(1); });
