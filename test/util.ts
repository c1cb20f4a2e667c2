import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RouteHandler } from '../lib';
import { testApp as consumerTestApp } from '../lib/testing';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;

/**
 * An App with the project's feature flags. Bundling is skipped unless `bundle` is true: NodejsFunction
 * then points at a placeholder asset, which keeps unit tests fast and changes nothing else.
 *
 * CDK's built-in CloudFormation validation runs only with `validate: true` (then with cdk.json's
 * `@aws-cdk/core:validateAgainstDefaultRules`, as `cdk synth` runs it): it compiles a WebAssembly rule
 * engine for every new set of resource types, seconds per test, so only the tests about validation (the
 * audit, the example app) pay for it. It never changes a template. No tree.json, and no creation stack
 * trace on every resource (each one mapped through jest's source maps): no test reads them.
 */
export function testApp(options: { bundle?: boolean; validate?: boolean; context?: Record<string, unknown> } & AppProps = {}): App {
  const { bundle, validate, context, ...rest } = options;
  return consumerTestApp({
    treeMetadata: false,
    builtinCloudFormationValidation: validate ?? false,
    ...rest,
    bundling: bundle,
    context: { ...CDK_CONTEXT, 'aws:cdk:disable-creation-stack-traces': true, ...context },
  });
}

/** A stack in a fixed, non-us-east-1 environment. */
export function testStack(app: App = testApp(), id = 'TestStack'): Stack {
  return new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' } });
}

/** A handler with inline code: no bundling, no files. */
export function inlineHandler(body = 'exports.handler = async () => ({ statusCode: 200, body: "{}" });'): RouteHandler {
  return RouteHandler.fromCode(lambda.Code.fromInline(body));
}
