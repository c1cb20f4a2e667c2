// Client-side helpers: `serverless-api-constructs/client`. Not part of the construct library's jsii
// surface (lib/index.ts): they run in Node.js callers, e.g. a Lambda function invoking another.
import './peers';
export { DirectInvokeError, DirectRequest, ProxyEvent, ProxyResult, RouteInvoker, RouteInvokerOptions, directEvent } from './route-invoker';
