/**
 * The WebSocket events API Gateway sends to Lambda proxy integrations and REQUEST authorizers, as far
 * as the library's handlers read them. `@types/aws-lambda`'s `APIGatewayProxyWebsocketEventV2` leaves
 * out what a $connect carries (query string, headers, authorizer output), hence these types.
 */

/** The request context of a WebSocket route event. */
export interface WebSocketRequestContext {
  readonly routeKey?: string;
  readonly eventType?: string;
  readonly connectionId?: string;
  /** Epoch milliseconds of the connection's $connect. */
  readonly connectedAt?: number;
  readonly requestTimeEpoch?: number;
  readonly requestId?: string;
  readonly domainName?: string;
  readonly stage?: string;
  readonly apiId?: string;
  readonly identity?: {
    readonly sourceIp?: string;
    readonly userArn?: string | null;
    readonly caller?: string | null;
    readonly userAgent?: string | null;
  } | null;
  /** What the $connect authorizer returned: `principalId` and its context values. */
  readonly authorizer?: Readonly<Record<string, unknown>> | null;
}

/** A WebSocket route event ($connect, $disconnect, custom routes, $default). */
export interface WebSocketEvent {
  readonly requestContext: WebSocketRequestContext;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly multiValueHeaders?: Readonly<Record<string, string[] | undefined>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

/** What a WebSocket Lambda proxy integration returns. */
export interface WebSocketResult {
  readonly statusCode: number;
  readonly body?: string;
}

/** The event of a REQUEST authorizer on $connect. */
export interface WebSocketAuthorizerEvent {
  readonly type?: string;
  readonly methodArn: string;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly requestContext?: WebSocketRequestContext;
}

/** An IAM policy decision, as REQUEST authorizers return it. */
export interface AuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: {
    readonly Version: '2012-10-17';
    readonly Statement: ReadonlyArray<{ readonly Action: string; readonly Effect: 'Allow' | 'Deny'; readonly Resource: string }>;
  };
  readonly context?: Readonly<Record<string, string | number | boolean>>;
}
