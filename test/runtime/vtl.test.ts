import {
  ApiRequest, base64Decode, base64Encode, escapeJavaScript, evaluateJsonPath, InvalidJsonBodyError, renderIntegrationRequest,
  renderIntegrationResponse, renderTemplate, selectIntegrationResponse, urlDecode, urlEncode, VtlError,
} from '../../lib/runtime/vtl';

function request(overrides: Partial<ApiRequest> = {}): ApiRequest {
  return {
    httpMethod: 'POST',
    resourcePath: '/orders/{id}',
    path: '/orders/42',
    pathParameters: { id: '42' },
    queryStringParameters: { page: '2' },
    headers: { 'Content-Type': 'application/json', 'X-Tenant': 'acme' },
    body: '{"item":"book","qty":2}',
    requestId: 'req-1',
    ...overrides,
  };
}

const render = (template: string, req: ApiRequest = request()): string => renderTemplate(template, req).output;

describe('$util.escapeJavaScript behaves like API Gateway (Apache Commons Lang)', () => {
  test.each([
    ['double quote', 'a"b', 'a\\"b'],
    ['backslash', 'a\\b', 'a\\\\b'],
    ['single quote, escaped as \\\' (not valid JSON)', 'it\'s', 'it\\\'s'],
    ['forward slash', '</script>', '<\\/script>'],
    ['newline, tab, carriage return', 'a\nb\tc\rd', 'a\\nb\\tc\\rd'],
    ['other control characters as \\u00XX', '\u0000\u001f', '\\u0000\\u001F'],
    ['non-ASCII as upper-case \\uXXXX', 'ü€', '\\u00FC\\u20AC'],
    ['characters outside the BMP as two UTF-16 halves', '😀', '\\uD83D\\uDE00'],
    ['DEL as \\u007F', '\u007f', '\\u007F'],
  ])('%s', (_, input, expected) => {
    expect(escapeJavaScript(input)).toBe(expected);
  });

  test('GIVEN AWS\'s documented fix .replaceAll("\\\\\'","\'") THEN any string becomes a valid JSON string of itself', () => {
    const hostile = 'it\'s \\\' "quoted" \\" / \n ü 😀 \u0000 \\\\\'';
    const output = render(String.raw`"$util.escapeJavaScript($input.params('v')).replaceAll("\\'","'")"`,
      request({ pathParameters: { v: hostile } }));
    expect(JSON.parse(output)).toBe(hostile);
  });

  test('GIVEN null THEN empty', () => {
    expect(escapeJavaScript(undefined)).toBe('');
  });
});

describe('$util encodings', () => {
  test('urlEncode is Java\'s URLEncoder: space as +, * . - _ kept, UTF-8 bytes as %XX', () => {
    expect(urlEncode('a b*c.d-e_f~g&h=i/ü')).toBe('a+b*c.d-e_f%7Eg%26h%3Di%2F%C3%BC');
  });

  test('urlDecode reverses it, + as space', () => {
    expect(urlDecode('a+b%26c%C3%BC')).toBe('a b&cü');
  });

  test('fails if urlDecode meets a broken escape', () => {
    expect(() => urlDecode('%E0%A4%A')).toThrow(VtlError);
  });

  test('base64Encode/Decode work on UTF-8', () => {
    expect(base64Encode('héllo')).toBe('aMOpbGxv');
    expect(base64Decode('aMOpbGxv')).toBe('héllo');
  });

  test('parseJson gives a map templates can walk', () => {
    expect(render('#set($o = $util.parseJson($input.body))$o.item:$o.qty')).toBe('book:2');
  });
});

describe('$input', () => {
  test('json(\'$\') of an empty body is {} (what API Gateway passes for GET)', () => {
    expect(render('$input.json(\'$\')', request({ body: '' }))).toBe('{}');
  });

  test('json(path) gives JSON text; path(path) gives the value', () => {
    expect(render('$input.json(\'$.item\')|$input.path(\'$.item\')|$input.path(\'$.qty\')')).toBe('"book"|book|2');
  });

  test('a missing path prints nothing', () => {
    expect(render('[$input.path(\'$.missing.deeper\')][$input.json(\'$.missing\')]')).toBe('[][]');
  });

  test('fails with InvalidJsonBodyError when the body is not JSON and a template reads it as JSON', () => {
    expect(() => render('$input.json(\'$\')', request({ body: '{"a":' }))).toThrow(InvalidJsonBodyError);
  });

  test('$input.body is the raw text, even when it is not JSON', () => {
    expect(render('$input.body', request({ body: 'not json' }))).toBe('not json');
  });

  test('params(name) looks in path, then query string, then headers; \'\' when absent', () => {
    const req = request({ pathParameters: { x: 'path' }, queryStringParameters: { x: 'query', y: 'query' }, headers: { x: 'h', y: 'h', z: 'h' } });
    expect(render('$input.params(\'x\')|$input.params(\'y\')|$input.params(\'z\')|[$input.params(\'none\')]', req)).toBe('path|query|h|[]');
  });

  test('params() has path, querystring and header maps', () => {
    expect(render('#foreach($k in $input.params().querystring.keySet())$k=$input.params().querystring.get($k)#end')).toBe('page=2');
  });

  test('JSONPath: bracket names and indices', () => {
    expect(evaluateJsonPath({ 'a b': [{ c: 1 }] }, '$[\'a b\'][0].c')).toBe(1);
  });

  test('fails if a JSONPath uses a wildcard or filter (not supported, not silently wrong)', () => {
    expect(() => evaluateJsonPath({}, '$.a[*]')).toThrow(/only \['name'\] and \[index\]/);
  });
});

describe('Java semantics of values', () => {
  test('replaceAll takes a regex (JavaScript\'s would take a literal string)', () => {
    expect(render('$input.path(\'$.item\').replaceAll("[aeiou]", "_")')).toBe('b__k');
  });

  test('replaceAll replacement uses $1 groups', () => {
    expect(render('$input.path(\'$.item\').replaceAll("(o+)", "<$1>")')).toBe('b<oo>k');
  });

  test('replace replaces every occurrence (JavaScript\'s replaces the first)', () => {
    expect(render('$input.path(\'$.item\').replace("o", "0")')).toBe('b00k');
  });

  test('length(), matches(), contains(), substring(), split()', () => {
    expect(render('$input.body.length()|$input.path(\'$.item\').matches("b.*k")|$input.body.contains("qty")|$input.path(\'$.item\').substring(1, 3)|$input.path(\'$.item\').split("o")'))
      .toBe('23|true|true|oo|[b, , k]');
  });

  test('maps: get, containsKey, keySet, size, isEmpty', () => {
    expect(render('#set($m = $input.path(\'$\'))$m.get("item")|$m.containsKey("qty")|$m.keySet()|$m.size()|$m.isEmpty()')).toBe('book|true|[item, qty]|2|false');
  });

  test('fails if a template calls a method Java strings do not have', () => {
    expect(() => render('$input.body.padStart(30)')).toThrow(/String has no method padStart/);
  });

  test('$foreach.hasNext separates items', () => {
    expect(render('#foreach($k in $input.path(\'$\').keySet())$k#if($foreach.hasNext),#end#end')).toBe('item,qty');
  });
});

describe('$context', () => {
  test('request id, method, resource path, stage path, identity and claims', () => {
    const req = request({ identity: { sourceIp: '203.0.113.7' }, authorizer: { claims: { sub: 'u-1' } }, stage: 'prod' });
    expect(render('$context.requestId|$context.httpMethod|$context.resourcePath|$context.path|$context.identity.sourceIp|$context.authorizer.claims.sub|[$context.identity.userArn]', req))
      .toBe('req-1|POST|/orders/{id}|/prod/orders/42|203.0.113.7|u-1|[]');
  });

  test('responseOverride status and headers are read back', () => {
    const result = renderTemplate('#set($context.responseOverride.status = 404)#set($context.responseOverride.header.X-Thing = "y")', request());
    expect(result.responseOverride).toEqual({ status: 404, header: { 'X-Thing': 'y' } });
  });
});

describe('integration entries', () => {
  const entry = {
    type: 'aws',
    requestTemplates: { 'application/json': '{"id":"$input.params(\'id\')"}' },
    requestParameters: { 'integration.request.header.Content-Type': '\'application/x-amz-json-1.1\'', 'integration.request.path.id': 'method.request.path.id' },
    passthroughBehavior: 'never',
    responses: {
      'default': { statusCode: '202', responseTemplates: { 'application/json': '{"ok":$input.json(\'$.ok\')}' } },
      '4\\d{2}': { statusCode: '400', responseParameters: { 'method.response.header.X-A': '\'b\'' } },
      '5\\d{2}': { statusCode: '502' },
    },
  };

  test('GIVEN passthrough NEVER and a content type without template THEN 415', () => {
    expect(renderIntegrationRequest(entry, request({ headers: { 'content-type': 'text/plain' } }))).toEqual(
      { rejected: true, statusCode: 415, reason: 'Unsupported Media Type: no template for \'text/plain\'' });
  });

  test('GIVEN application/json with a charset THEN its template renders, parameters are mapped', () => {
    expect(renderIntegrationRequest(entry, request({ headers: { 'Content-Type': 'application/json; charset=utf-8' } }))).toEqual({
      rejected: false, body: '{"id":"42"}', contentType: 'application/json',
      headers: { 'Content-Type': 'application/x-amz-json-1.1' }, pathParameters: { id: '42' }, queryStringParameters: {},
    });
  });

  test('GIVEN no Content-Type THEN the application/json template applies', () => {
    expect(renderIntegrationRequest(entry, request({ headers: {} }))).toMatchObject({ rejected: false, body: '{"id":"42"}' });
  });

  test('responses are selected by status: patterns first, default otherwise', () => {
    expect(selectIntegrationResponse(entry, 200)[0]).toBe('default');
    expect(selectIntegrationResponse(entry, 404)[0]).toBe('4\\d{2}');
    expect(selectIntegrationResponse(entry, 503)[0]).toBe('5\\d{2}');
  });

  test('a response template renders the service body; parameters become headers', () => {
    expect(renderIntegrationResponse(entry, request(), { statusCode: 200, body: '{"ok":true}' }))
      .toEqual({ statusCode: 202, body: '{"ok":true}', headers: {}, selected: 'default' });
    expect(renderIntegrationResponse(entry, request(), { statusCode: 403, body: 'x' }))
      .toEqual({ statusCode: 400, body: 'x', headers: { 'X-A': 'b' }, selected: '4\\d{2}' });
  });
});
