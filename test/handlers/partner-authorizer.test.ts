import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { handler } from '../../bin/handlers/partner-authorizer';

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/GET/partner/items';
/** Every /partner route of the stage: the decision is cached per partner id, not per route. */
const PARTNER_ROUTES = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev/*/partner/*';

function requestEvent(headers: Record<string, string> | null): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    resource: '/partner/items',
    path: '/partner/items',
    httpMethod: 'GET',
    headers,
    multiValueHeaders: headers ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) : null,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

let log: jest.SpyInstance;
const savedAllowList = process.env.ALLOWED_PARTNER_IDS;

beforeEach(() => {
  log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  process.env.ALLOWED_PARTNER_IDS = 'acme, globex ,initech';
});

afterEach(() => {
  log.mockRestore();
  if (savedAllowList === undefined) { delete process.env.ALLOWED_PARTNER_IDS; } else { process.env.ALLOWED_PARTNER_IDS = savedAllowList; }
});

describe('partner authorizer', () => {
  test('GIVEN an allowed partner id THEN it allows execute-api:Invoke on the stage\'s /partner routes, as that partner', async () => {
    const result = await handler(requestEvent({ 'x-partner-id': 'globex' }));

    expect(result).toEqual({
      principalId: 'globex',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: PARTNER_ROUTES }] },
      context: { partnerId: 'globex' },
    });
  });

  test('GIVEN an allowed partner id THEN the allowed resource covers the called method ARN', async () => {
    const result = await handler(requestEvent({ 'x-partner-id': 'acme' }));

    const resource = (result.policyDocument.Statement[0] as { Resource: string }).Resource;
    const pattern = new RegExp(`^${resource.split('*').map(s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    expect(METHOD_ARN).toMatch(pattern);
  });

  test('GIVEN the header in another case THEN it is found (HTTP header names are case-insensitive)', async () => {
    const result = await handler(requestEvent({ 'X-Partner-Id': 'initech' }));

    expect(result.policyDocument.Statement[0].Effect).toBe('Allow');
  });

  test('GIVEN an unknown partner id THEN it denies, as anonymous, with no context', async () => {
    const result = await handler(requestEvent({ 'x-partner-id': 'umbrella' }));

    expect(result).toEqual({
      principalId: 'anonymous',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: PARTNER_ROUTES }] },
      context: undefined,
    });
  });

  test('GIVEN an id that only starts like an allowed one THEN it denies', async () => {
    const result = await handler(requestEvent({ 'x-partner-id': 'acme2' }));

    expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
  });

  test('GIVEN no x-partner-id header THEN it denies', async () => {
    const result = await handler(requestEvent({ accept: 'application/json' }));

    expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
  });

  test('GIVEN no headers at all THEN it denies', async () => {
    const result = await handler(requestEvent(null));

    expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
  });

  test('GIVEN an empty x-partner-id THEN it denies, even with an empty entry in the list', async () => {
    process.env.ALLOWED_PARTNER_IDS = 'acme,,';

    const result = await handler(requestEvent({ 'x-partner-id': '' }));

    expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
  });

  test('GIVEN an empty allow-list THEN it allows nobody', async () => {
    process.env.ALLOWED_PARTNER_IDS = '';

    const result = await handler(requestEvent({ 'x-partner-id': 'acme' }));

    expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
  });

  test('GIVEN no ALLOWED_PARTNER_IDS variable THEN it allows nobody', async () => {
    delete process.env.ALLOWED_PARTNER_IDS;

    const result = await handler(requestEvent({ 'x-partner-id': 'acme' }));

    expect(result.policyDocument.Statement[0].Effect).toBe('Deny');
  });

  test('GIVEN a decision THEN it logs one JSON line, naming only admitted partners', async () => {
    await handler(requestEvent({ 'x-partner-id': 'acme' }));
    await handler(requestEvent({ 'x-partner-id': 'not-a-partner' }));

    expect(log.mock.calls.map(([line]) => JSON.parse(line))).toEqual([
      { level: 'INFO', message: 'partner admitted', partnerId: 'acme' },
      { level: 'WARN', message: 'partner refused' },
    ]);
  });
});
