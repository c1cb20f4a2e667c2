/**
 * Every API Gateway gateway response type and its status, from the API Gateway developer guide
 * ("Gateway response types for API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * DEFAULT_4XX and DEFAULT_5XX have none: they cover types API Gateway adds later. One table for the
 * constructs (lib/operations, which write every type into the body) and the local server (which
 * answers them); it imports nothing, so the local server can read it without aws-cdk-lib.
 * @internal
 */
export const GATEWAY_RESPONSE_STATUS: Readonly<Record<string, number | undefined>> = {
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_BODY: 400,
  BAD_REQUEST_PARAMETERS: 400,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
};
