/**
 * Lambda's Invoke API on the local server, called with @aws-sdk/client-lambda, and RouteInvoker (the
 * client side of direct invocation) against it.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { LocalApi } from '../../lib/local';
import { DirectInvokeError, RouteInvoker } from '../../lib/client';
import { inline, signedFetch, startLocal, stopLocal, synthesizeStage } from './fixture';

let local: LocalApi;
let itemFunction: string;
let failingFunction: string;

beforeAll(async () => {
  const assembly = synthesizeStage(stack => {
    const api = new ServerlessApi(stack, 'Api', { apiName: 'direct', stageName: 'dev' });
    api.addRoute({
      method: 'GET', path: '/items/{id}', authorization: RouteAuthorization.none(),
      handler: inline('exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ id: e.pathParameters.id, resource: e.resource, path: e.path, claims: e.requestContext.authorizer && e.requestContext.authorizer.claims }) });'),
    });
    api.addRoute({
      method: 'POST', path: '/fail', authorization: RouteAuthorization.none(),
      handler: inline('exports.handler = async () => { const e = new Error("boom"); e.name = "BoomError"; throw e; };'),
    });
    const caller = new iam.Role(stack, 'Caller', { roleName: 'caller', assumedBy: new iam.AccountRootPrincipal() });
    api.grantDirectInvoke(caller, 'GET', '/items/{id}');
    api.grantDirectInvoke(caller, 'POST', '/fail');
  });
  local = await startLocal(assembly);
  const routes = local.info().apis[0].routes;
  itemFunction = routes.find(r => r.path === '/items/{id}')!.function!;
  failingFunction = routes.find(r => r.path === '/fail')!.function!;
});
afterAll(async () => {
  await stopLocal(local);
});

function client(principal?: string): LambdaClient {
  const { accessKeyId, secretAccessKey, region } = local.credentials(principal);
  return new LambdaClient({ endpoint: local.url, region, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
}

test('a principal granted direct invoke calls the function with the SDK', async () => {
  const lambda = client('caller');
  const res = await lambda.send(new InvokeCommand({ FunctionName: itemFunction, Payload: Buffer.from(JSON.stringify({ pathParameters: { id: '7' }, resource: '/items/{id}', path: '/items/7', requestContext: {} })) }));
  lambda.destroy();
  expect(res.StatusCode).toBe(200);
  expect(res.FunctionError).toBeUndefined();
  expect(JSON.parse(JSON.parse(Buffer.from(res.Payload!).toString()).body)).toMatchObject({ id: '7' });
});

test('the function can be named by its ARN', async () => {
  const lambda = client('caller');
  const arn = local.info().functions.find(f => f.name === itemFunction)!.arn;
  const res = await lambda.send(new InvokeCommand({ FunctionName: arn, Payload: Buffer.from('{"pathParameters":{"id":"1"},"requestContext":{}}') }));
  lambda.destroy();
  expect(res.StatusCode).toBe(200);
});

test('a principal without lambda:InvokeFunction gets AccessDeniedException', async () => {
  const lambda = client();
  await expect(lambda.send(new InvokeCommand({ FunctionName: itemFunction, Payload: Buffer.from('{}') })))
    .rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
  lambda.destroy();
});

test('an unknown function is ResourceNotFoundException', async () => {
  const lambda = client('caller');
  await expect(lambda.send(new InvokeCommand({ FunctionName: 'no-such-function', Payload: Buffer.from('{}') })))
    .rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  lambda.destroy();
});

test('a wrong secret is refused with InvalidSignatureException', async () => {
  const { accessKeyId, region } = local.credentials('caller');
  const lambda = new LambdaClient({ endpoint: local.url, region, credentials: { accessKeyId, secretAccessKey: 'not-the-secret-not-the-secret-not-the-se' }, maxAttempts: 1 });
  await expect(lambda.send(new InvokeCommand({ FunctionName: itemFunction, Payload: Buffer.from('{}') })))
    .rejects.toMatchObject({ name: 'InvalidSignatureException' });
  lambda.destroy();
});

test('a function error comes back as FunctionError Unhandled with Lambda\'s error payload', async () => {
  const lambda = client('caller');
  const res = await lambda.send(new InvokeCommand({ FunctionName: failingFunction, Payload: Buffer.from('{}') }));
  lambda.destroy();
  expect(res.FunctionError).toBe('Unhandled');
  expect(JSON.parse(Buffer.from(res.Payload!).toString())).toMatchObject({ errorType: 'BoomError', errorMessage: 'boom' });
});

test('RouteInvoker sends an API Gateway-shaped event and returns the proxy result', async () => {
  const lambda = client('caller');
  const invoker = new RouteInvoker({ functionName: itemFunction, client: lambda });
  const res = await invoker.invoke({ method: 'GET', resource: '/items/{id}', pathParameters: { id: 'a b' }, claims: { sub: 'u1' } });
  lambda.destroy();
  expect(res.statusCode).toBe(200);
  expect(JSON.parse(res.body)).toEqual({ id: 'a b', resource: '/items/{id}', path: '/items/a b', claims: { sub: 'u1' } });
});

test('RouteInvoker turns a function error into DirectInvokeError', async () => {
  const lambda = client('caller');
  const invoker = new RouteInvoker({ functionName: failingFunction, client: lambda });
  const error = await invoker.invoke({ method: 'POST', resource: '/fail', body: { a: 1 } }).catch(e => e);
  lambda.destroy();
  expect(error).toBeInstanceOf(DirectInvokeError);
  expect(error).toMatchObject({ errorType: 'BoomError', message: 'boom', functionError: 'Unhandled' });
});

test('a function name that is not percent-decodable is 400 ValidationException, not a server error', async () => {
  const { accessKeyId, secretAccessKey, region } = local.credentials('caller');
  const res = await signedFetch(`${local.url}/2015-03-31/functions/bad%E0%A4%A/invocations`, {
    method: 'POST', body: '{}', credentials: { accessKeyId, secretAccessKey }, region, service: 'lambda',
  });
  expect(res.status).toBe(400);
  expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
});
