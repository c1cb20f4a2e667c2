/**
 * The local server's pure pieces, without a server: route matching, IAM policy evaluation, mapping
 * templates, intrinsics, throttling and quota arithmetic, proxy result validation, SigV4 checks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { StageTemplate } from '../../lib/local/assembly/cloud-assembly';
import { StageResolver } from '../../lib/local/assembly/intrinsics';
import { evaluatePolicy, inCidrs, wildcard } from '../../lib/local/auth/iam-policy';
import { verifyPresignedSigV4, verifySigV4 } from '../../lib/local/auth/sigv4';
import { renderTemplate, TemplateInput } from '../../lib/local/gateway/mapping-template';
import { readProxyResult } from '../../lib/local/gateway/proxy-response';
import { RouteTable } from '../../lib/local/gateway/route-table';
import { assertEngines, LOCAL_SERVER_ENGINES } from '../../lib/local/engines';
import { functionName } from '../../lib/local/server/local-stage';
import { Buckets, TokenBucket } from '../../lib/local/traffic/token-bucket';
import { quotaWindow, UsagePlans } from '../../lib/local/traffic/usage-plans';

describe('RouteTable', () => {
  const table = new RouteTable<string>();
  table.add('GET', '/', 'root');
  table.add('GET', '/a/b/c', 'abc');
  table.add('GET', '/a/{x}/d', 'axd');
  table.add('ANY', '/a/{x}', 'ax-any');
  table.add('GET', '/{proxy+}', 'catch-all');

  test('the root resource', () => {
    expect(table.match('GET', '/')?.value).toBe('root');
  });

  test('falls back from a literal branch to the parameter branch when the literal one has no such path', () => {
    expect(table.match('GET', '/a/b/d')).toEqual({ value: 'axd', pathParameters: { x: 'b' } });
  });

  test('the resource is chosen from the path before the method: an existing resource without the method is no route', () => {
    // /a/b exists (as the parent of /a/b/c) and has no methods: the {x} sibling is not tried.
    expect(table.match('GET', '/a/b')).toBeUndefined();
    expect(table.match('GET', '/a/q')?.value).toBe('ax-any');
    expect(table.match('POST', '/a/b/c')).toBeUndefined();
  });

  test('the greedy root proxy takes what nothing else matches, decoded', () => {
    expect(table.match('GET', '/z/%7Ey')).toEqual({ value: 'catch-all', pathParameters: { proxy: 'z/~y' } });
  });

  test('a trailing slash is ignored', () => {
    expect(table.match('GET', '/a/b/c/')?.value).toBe('abc');
  });
});

describe('IAM policy evaluation', () => {
  const arn = 'arn:aws:execute-api:eu-west-1:111111111111:abc/dev/GET/items/1';
  const req = (context = {}) => ({ action: 'execute-api:Invoke', resource: arn, principalArn: 'arn:aws:iam::111111111111:role/ops', principalAccount: '111111111111', context });

  test('an Allow with wildcards matches; actions compare case-insensitively', () => {
    expect(evaluatePolicy([{ Effect: 'Allow', Action: 'Execute-API:invoke', Resource: 'arn:aws:execute-api:*:*:abc/dev/*/items/*' }], req())).toBe('Allow');
  });

  test('a Deny wins over an Allow', () => {
    expect(evaluatePolicy([
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 'execute-api:*', Resource: arn },
    ], req())).toBe('Deny');
  });

  test('nothing matching is an implicit deny (undefined)', () => {
    expect(evaluatePolicy([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${arn}/other` }], req())).toBeUndefined();
    expect(evaluatePolicy([{ Effect: 'Allow', NotAction: 'execute-api:Invoke', Resource: '*' }], req())).toBeUndefined();
  });

  test('IpAddress / NotIpAddress conditions on aws:SourceIp', () => {
    const allow = [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] } } }];
    expect(evaluatePolicy(allow, req({ 'aws:SourceIp': '10.1.2.3' }))).toBe('Allow');
    expect(evaluatePolicy(allow, req({ 'aws:SourceIp': '192.168.0.1' }))).toBeUndefined();
  });

  test('an unknown condition operator makes the statement not apply, and is reported', () => {
    const seen: string[] = [];
    expect(evaluatePolicy([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } } }], req({ 'aws:CurrentTime': '2030-01-01' }), op => seen.push(op))).toBeUndefined();
    expect(seen).toEqual(['DateGreaterThan']);
  });

  test('Principal matches an ARN, an account, or everyone', () => {
    const statement = (principal: unknown) => [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: principal }];
    expect(evaluatePolicy(statement('*'), req())).toBe('Allow');
    expect(evaluatePolicy(statement({ AWS: 'arn:aws:iam::111111111111:root' }), req())).toBe('Allow');
    expect(evaluatePolicy(statement({ AWS: ['arn:aws:iam::222222222222:role/ops'] }), req())).toBeUndefined();
  });

  test('wildcards: * spans characters, ? one, and nothing else is special', () => {
    expect(wildcard('a*c?', 'abbbcd', false)).toBe(true);
    expect(wildcard('a.c', 'abc', false)).toBe(false);
  });

  test('CIDR checks handle IPv4, IPv4-mapped IPv6 and IPv6', () => {
    expect(inCidrs('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBe(true);
    expect(inCidrs('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(inCidrs('not-an-ip', ['0.0.0.0/0'])).toBe(false);
  });
});

describe('mapping templates', () => {
  const input: TemplateInput = {
    context: { requestId: 'r-1', stage: 'dev', error: { messageString: '"Forbidden"' } },
    stageVariables: { table: 'orders' },
    headers: { Origin: 'https://b.example.com' },
    query: { q: 'shoes' },
    pathParameters: { id: '7' },
    body: '{"name":"lamp","tags":["a","b"]}',
  };

  test('$context, $input and $util references', () => {
    expect(renderTemplate('{"id":"$input.params(\'id\')","q":"$input.params().querystring.get(\'q\')","m":$context.error.messageString,"n":$input.json(\'$.name\'),"s":"$stageVariables.table","e":"$util.escapeJavaScript(\'a"b\')"}', input).body)
      .toBe('{"id":"7","q":"shoes","m":"Forbidden","n":"lamp","s":"orders","e":"a\\"b"}');
  });

  test('#set, #if/#elseif/#else and responseOverride', () => {
    const out = renderTemplate([
      '#set($origin = $input.params().header.get("Origin"))',
      '#if($origin == "https://a.example.com")A#elseif($origin == "https://b.example.com" || false)B#{else}C#end',
      '#set($context.responseOverride.status = 202)',
      '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    ].join('\n'), input);
    expect(out.body.trim()).toBe('B');
    expect(out.statusOverride).toBe(202);
    expect(out.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': 'https://b.example.com' });
  });

  test('#foreach over a JSON path, with $foreach.hasNext', () => {
    expect(renderTemplate('[#foreach($t in $input.path(\'$.tags\'))"$t"#if($foreach.hasNext),#end#end]', input).body).toBe('["a","b"]');
  });

  test('an undefined reference renders empty; a comment renders nothing', () => {
    expect(renderTemplate('x$context.nope.deeper y## comment\nz', input).body).toBe('x yz');
  });

  test('a template that does not parse is refused', () => {
    expect(() => renderTemplate('#foreach($t in) x', input)).toThrow(/Parse error on line 1/);
  });

  test('$input.json on a body that is not JSON throws the error API Gateway answers 400 with', () => {
    expect(() => renderTemplate('{"n":$input.json(\'$.name\')}', { ...input, body: '{nope' })).toThrow(/^Could not parse request body into json/);
  });
});

describe('intrinsics', () => {
  const template = (resources: Record<string, any>, extra: Record<string, any> = {}): StageTemplate => ({
    stackName: 'Dev-Api', displayName: 'Dev/Api', directory: '/tmp', account: '111111111111', region: 'eu-west-1', assets: new Map(),
    template: { Resources: resources, ...extra },
  });
  const t = template({
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'my-fn' } },
  }, { Mappings: { Env: { dev: { size: '1' } } }, Conditions: { IsDev: { 'Fn::Equals': ['a', 'a'] } } });
  const resolver = new StageResolver({ stage: 'Dev', directory: '/tmp', templates: [t] });

  test('Ref and GetAtt give local names and ARNs', () => {
    expect(resolver.resolve(t, { Ref: 'Table' })).toBe('Dev-Api-Table');
    expect(resolver.resolve(t, { 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe('arn:aws:lambda:eu-west-1:111111111111:function:my-fn');
  });

  test('Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap and AWS::NoValue', () => {
    expect(resolver.resolve(t, { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}/${!Literal}' }))
      .toBe('arn:aws:dynamodb:eu-west-1:111111111111:table/Dev-Api-Table/${Literal}');
    expect(resolver.resolve(t, { 'Fn::Join': ['-', ['a', { Ref: 'AWS::Region' }]] })).toBe('a-eu-west-1');
    expect(resolver.resolve(t, { 'Fn::Select': [1, { 'Fn::Split': [',', 'x,y,z'] }] })).toBe('y');
    expect(resolver.resolve(t, { 'Fn::If': ['IsDev', 'yes', 'no'] })).toBe('yes');
    expect(resolver.resolve(t, { 'Fn::FindInMap': ['Env', 'dev', 'size'] })).toBe('1');
    expect(resolver.resolve(t, { a: { Ref: 'AWS::NoValue' }, b: 1 })).toEqual({ b: 1 });
  });

  test('a reference to a missing resource fails naming the template', () => {
    expect(() => resolver.resolve(t, { Ref: 'Nope' })).toThrow("Dev/Api: reference to 'Nope', which the template does not have.");
  });
});

describe('throttling and quotas', () => {
  test('a token bucket allows the burst, then refills at the rate', () => {
    const bucket = new TokenBucket(2, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
  });

  test('a burst of 0 throttles everything; no limits throttle nothing', () => {
    const buckets = new Buckets();
    expect(buckets.take('k', 10, 0, 0)).toBe(false);
    expect(buckets.take('k', undefined, undefined, 0)).toBe(true);
  });

  test("the account-level throttle is API Gateway's burst of 5,000 by default, and can be raised as AWS raises it", () => {
    const route = { apiId: 'a1', stage: { name: 'dev', methodSettings: [] } as any, resourcePath: '/mock', method: 'GET' };
    const passed = (plans: UsagePlans): number => Array.from({ length: 6000 }, () => plans.stageThrottle(route, 0)).filter(r => r === undefined).length;
    const model: any = { apiKeys: [], usagePlans: [] };
    expect(passed(new UsagePlans(model, {} as any))).toBe(5000);
    expect(passed(new UsagePlans(model, {} as any, { rateLimit: 1_000_000, burstLimit: 1_000_000 }))).toBe(6000);
  });

  test('quota periods start at the UTC day, the week (Sunday + offset) and the month (+ offset)', () => {
    const wednesday = Date.UTC(2024, 0, 17, 15, 0, 0); // Wed 17 Jan 2024
    expect(quotaWindow('DAY', 0, wednesday)).toBe(Date.UTC(2024, 0, 17));
    expect(quotaWindow('WEEK', 0, wednesday)).toBe(Date.UTC(2024, 0, 14));
    expect(quotaWindow('WEEK', 1, wednesday)).toBe(Date.UTC(2024, 0, 15));
    expect(quotaWindow('MONTH', 0, wednesday)).toBe(Date.UTC(2024, 0, 1));
    expect(quotaWindow('MONTH', 20, wednesday)).toBe(Date.UTC(2023, 11, 21));
  });
});

describe('Lambda proxy results', () => {
  test.each([
    ['a string', 'hello', /not an object/],
    ['null', null, /null/],
    ['no statusCode', { body: '' }, /statusCode undefined/],
    ['an object body', { statusCode: 200, body: { a: 1 } }, /body is object/],
    ['an unknown field', { statusCode: 200, cookies: [] }, /unknown fields cookies/],
    ['a nested header', { statusCode: 200, headers: { a: { b: 1 } } }, /header a/],
  ])('%s is malformed', (_, payload, reason) => {
    const result = readProxyResult(payload);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  test('a numeric string status and scalar headers are accepted', () => {
    expect(readProxyResult({ statusCode: '204', headers: { 'x-n': 1 } })).toMatchObject({ ok: true, statusCode: 204, headers: [['x-n', '1']] });
  });
});

describe('SigV4 checks that need no signature', () => {
  const base = { method: 'GET', rawPath: '/dev/x', rawQuery: '', body: Buffer.alloc(0) };
  const lookup = () => ({ accessKeyId: 'AKIA1', secretAccessKey: 's' });

  test('a Bearer token on an IAM route gets AWS\'s incomplete-signature message', async () => {
    const verdict = await verifySigV4({ ...base, headers: { authorization: 'Bearer abc' } }, { region: 'eu-west-1', service: 'execute-api' }, lookup);
    expect(verdict).toMatchObject({ ok: false, errorType: 'IncompleteSignatureException' });
    expect(!verdict.ok && verdict.message).toMatch(/^Authorization header requires 'Credential' parameter\./);
  });

  test('a date more than 5 minutes ahead is "Signature not yet current"', async () => {
    const verdict = await verifySigV4({
      ...base,
      headers: { 'authorization': 'AWS4-HMAC-SHA256 Credential=AKIA1/20300101/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', 'x-amz-date': '20300101T000000Z', 'host': 'h' },
    }, { region: 'eu-west-1', service: 'execute-api' }, lookup, new Date(Date.UTC(2029, 11, 31, 23, 54, 0)));
    expect(!verdict.ok && verdict.message).toBe('Signature not yet current: 20300101T000000Z is still later than 20291231T235900Z (20291231T235400Z + 5 min.)');
  });

  test('a credential scoped to another region is refused', async () => {
    const verdict = await verifySigV4({
      ...base,
      headers: { 'authorization': 'AWS4-HMAC-SHA256 Credential=AKIA1/20300101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', 'x-amz-date': '20300101T000000Z', 'host': 'h' },
    }, { region: 'eu-west-1', service: 'execute-api' }, lookup, new Date(Date.UTC(2030, 0, 1)));
    expect(!verdict.ok && verdict.message).toBe('Credential should be scoped to a valid region, not \'us-east-1\'. ');
  });
});

describe('presigned SigV4 checks that need no signature', () => {
  const lookup = () => ({ accessKeyId: 'AKIA1', secretAccessKey: 's' });
  const presigned = (params: Record<string, string>) => ({
    method: 'GET', rawPath: '/dev', headers: { host: 'h' }, body: Buffer.alloc(0),
    rawQuery: new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': 'AKIA1/20300101/eu-west-1/execute-api/aws4_request', 'X-Amz-Date': '20300101T000000Z',
      'X-Amz-Expires': '300', 'X-Amz-SignedHeaders': 'host', 'X-Amz-Signature': '00', ...params,
    }).toString(),
  });
  const scope = { region: 'eu-west-1', service: 'execute-api' };

  test('a presigned URL without its signature parameter is incomplete', async () => {
    const request = presigned({});
    const verdict = await verifyPresignedSigV4({ ...request, rawQuery: request.rawQuery.replace(/&X-Amz-Signature=00/, '') }, scope, lookup, new Date(Date.UTC(2030, 0, 1)));
    expect(verdict).toEqual({ ok: false, missing: false, errorType: 'IncompleteSignatureException', message: 'The presigned request lacks X-Amz-Signature.' });
  });

  test('X-Amz-Expires over 7 days is refused', async () => {
    const verdict = await verifyPresignedSigV4(presigned({ 'X-Amz-Expires': '604801' }), scope, lookup, new Date(Date.UTC(2030, 0, 1)));
    expect(!verdict.ok && verdict.message).toBe('X-Amz-Expires must be an integer between 1 and 604800 seconds.');
  });

  test('a presigned URL past its expiry is "Signature expired"', async () => {
    const verdict = await verifyPresignedSigV4(presigned({}), scope, lookup, new Date(Date.UTC(2030, 0, 1, 0, 5, 1)));
    expect(!verdict.ok && verdict.message).toBe('Signature expired: 20300101T000000Z + 300 s is now earlier than 20300101T000501Z.');
  });

  test('a presigned URL scoped to another service is refused', async () => {
    const verdict = await verifyPresignedSigV4(presigned({ 'X-Amz-Credential': 'AKIA1/20300101/eu-west-1/lambda/aws4_request' }), scope, lookup, new Date(Date.UTC(2030, 0, 1)));
    expect(!verdict.ok && verdict.message).toBe('Credential should be scoped to correct service: \'execute-api\'. ');
  });
});

describe('function names', () => {
  test.each([
    ['my-fn', 'my-fn'],
    ['my-fn:live', 'my-fn'],
    ['arn:aws:lambda:eu-west-1:111111111111:function:my-fn', 'my-fn'],
    ['arn:aws:lambda:eu-west-1:111111111111:function:my-fn:$LATEST', 'my-fn'],
    ['111111111111:function:my-fn', 'my-fn'],
  ])('%s names %s', (given, name) => {
    expect(functionName(given)).toBe(name);
  });
});

describe('engines', () => {
  test('a missing engine package is named with the npm command that installs it', () => {
    const resolve = (name: string) => {
      if (name === 'dynalite' || name === 'ajv') { throw new Error(`Cannot find module '${name}'`); }
      return `/node_modules/${name}`;
    };
    expect(() => assertEngines(resolve)).toThrow('The local server needs dynalite, ajv. Install them next to serverless-api-constructs: npm install --save-dev dynalite@4.0.0 ajv@8.20.0');
  });

  test('nothing is thrown when every engine resolves', () => {
    expect(() => assertEngines(name => name)).not.toThrow();
  });
});

describe('the examples that serve their stage locally', () => {
  const examples = path.join(__dirname, '..', '..', 'examples');
  const serving = fs.readdirSync(examples).filter(name => fs.existsSync(path.join(examples, name, 'test'))
    && fs.readdirSync(path.join(examples, name, 'test')).some(file => file.endsWith('.ts') && /serverless-api-constructs\/local'/.test(fs.readFileSync(path.join(examples, name, 'test', file), 'utf8'))));

  // In the repository every engine resolves from the root node_modules; from the tarball
  // (`npm run examples`) only what the example's own package.json installs does.
  test.each(serving)('%s installs every engine of the local server at its pinned version', name => {
    const pkg = JSON.parse(fs.readFileSync(path.join(examples, name, 'package.json'), 'utf8'));
    const installed = { ...pkg.dependencies, ...pkg.devDependencies };
    expect(Object.fromEntries(Object.keys(LOCAL_SERVER_ENGINES).map(engine => [engine, installed[engine]]))).toEqual(LOCAL_SERVER_ENGINES);
  });

  test('there is such an example', () => {
    expect(serving).toContain('local-testing');
  });
});
