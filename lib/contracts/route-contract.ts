import { RouteSchema } from './route-schema';

/**
 * What a route accepts and answers, declared once: API Gateway validates requests against it (the
 * API's `all` validator, 400 in the library's JSON error shape), and the exported OpenAPI document,
 * the typed client and typed handlers are generated from it.
 */
export interface RouteContractOptions {
  /**
   * The JSON Schema of the request body (`application/json`). API Gateway refuses a body that does
   * not match with 400 `{"error":{"code":"BAD_REQUEST_BODY","message":"<what failed>",...}}`
   * before the integration is called.
   * @default - the body is not validated
   */
  readonly requestSchema?: RouteSchema;
  /**
   * Query string parameters the route reads, by name: `true` when required (a request without it is
   * answered 400 BAD_REQUEST_PARAMETERS), `false` when optional (documented only).
   * @default - none declared
   */
  readonly queryParameters?: { [name: string]: boolean };
  /**
   * Request headers the route reads, by name: `true` when required, `false` when optional.
   * @default - none declared
   */
  readonly headerParameters?: { [name: string]: boolean };
  /**
   * The JSON Schema of the response body per status code ('200', '201', '404', ...). API Gateway does
   * not validate responses; they document the API and type the client and handlers. Method response
   * schemas must be objects or arrays (an API Gateway rule).
   * @default - responses undeclared
   */
  readonly responseSchemas?: { [statusCode: string]: RouteSchema };
}
