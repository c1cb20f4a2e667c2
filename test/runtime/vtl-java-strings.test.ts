import { ApiRequest, renderTemplate } from '../../lib/runtime/vtl';

/** A JSON body whose root is a map, read with $input.path('$') as a Java Map. */
function render(template: string): string {
  const request: ApiRequest = {
    httpMethod: 'POST', resourcePath: '/x', path: '/x', pathParameters: {}, queryStringParameters: {},
    headers: { 'Content-Type': 'application/json' }, body: '{"a":1,"b":"x"}', requestId: 'req-1',
  };
  return renderTemplate(template, request).output;
}

describe('$util functions given a map or a list print it as Java does, not as [object Object]', () => {
  test('GIVEN a map THEN escapeJavaScript escapes its Java toString', () => {
    expect(render("$util.escapeJavaScript($input.path('$'))")).toBe('{a=1, b=x}');
  });

  test('GIVEN a map THEN base64Encode encodes its Java toString', () => {
    expect(render("$util.base64Encode($input.path('$'))")).toBe(Buffer.from('{a=1, b=x}').toString('base64'));
  });

  test('GIVEN a map as the argument of a string method THEN the method sees its Java toString', () => {
    expect(render("#set($s = 'map: ')$s.concat($input.path('$'))")).toBe('map: {a=1, b=x}');
  });
});
