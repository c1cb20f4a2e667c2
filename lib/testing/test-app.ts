import { App, AppProps } from 'aws-cdk-lib';

/** Props of {@link testApp}. */
export interface TestAppProps extends AppProps {
  /**
   * Bundle `NodejsFunction` code (esbuild) while synthesizing. Off, each bundled asset gets a stable
   * placeholder hash and nothing else in the templates changes, which keeps snapshot tests fast.
   * @default false
   */
  readonly bundling?: boolean;

  /**
   * Run CDK's built-in CloudFormation validation at synth. Off here (unlike `new App()`): it compiles a
   * WebAssembly rule engine, seconds per test file, and never changes a template; `cdk synth` still
   * validates.
   * @default false
   */
  readonly builtinCloudFormationValidation?: boolean;
}

/**
 * An `App` for snapshot tests: the same as `new App(props)`, with bundling skipped unless
 * `bundling: true`, and CDK's built-in CloudFormation validation off unless
 * `builtinCloudFormationValidation: true` (it compiles a WebAssembly rule engine, about a second per
 * app, and never changes a template; `cdk synth` still validates). Give it the feature flags of your
 * cdk.json as `context` when you have any, so the test synthesizes what `cdk synth` does.
 */
export function testApp(props: TestAppProps = {}): App {
  const { bundling, context, ...rest } = props;
  return new App({
    builtinCloudFormationValidation: false,
    ...rest,
    context: { ...(bundling ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
}
