/**
 * The consumers' testApp: bundling and CDK's built-in CloudFormation validation are off unless asked
 * for (snapshot tests stay fast; `cdk synth` still bundles and validates).
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { testApp } from '../../lib/testing';

/** The feature flag of cdk.json that makes CDK's validation fail synth instead of warning. */
const VALIDATION_FAILS_SYNTH = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** An app with one template CloudFormation would refuse (a log group's retention that is not a number). */
function withInvalidTemplate(app: App): App {
  const stack = new Stack(app, 'Invalid', { env: { account: '123456789012', region: 'eu-west-1' } });
  new CfnResource(stack, 'Logs', { type: 'AWS::Logs::LogGroup', properties: { RetentionInDays: 'soon' } });
  return app;
}

test('GIVEN the defaults THEN no CloudFormation validation runs at synth', () => {
  expect(() => withInvalidTemplate(testApp({ context: VALIDATION_FAILS_SYNTH })).synth()).not.toThrow();
});

// The override (builtinCloudFormationValidation: true) is tested in test/app/example-app.test.ts, next to
// the other validation tests, which share CDK's validation engine.

test('GIVEN the defaults THEN bundling is skipped for every stack', () => {
  expect(testApp().node.tryGetContext('aws:cdk:bundling-stacks')).toEqual([]);
});

test('GIVEN bundling: true THEN bundling is left to CDK (every stack)', () => {
  expect(testApp({ bundling: true }).node.tryGetContext('aws:cdk:bundling-stacks')).toBeUndefined();
});
