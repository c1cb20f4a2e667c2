/**
 * CloudFormation's per-template limits, checked by the library on the templates synth writes: CDK stops
 * at 500 resources but only warns past 1 MB, which CloudFormation rejects.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { ServerlessApi } from '../../lib';
import { inlineHandler, testApp, testStack } from '../util';

function violationsOf(outdir: string): any[] {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.filter((r: any) => r.pluginName === 'ServerlessApi template limits').flatMap((r: any) => r.violations);
}

describe('template limits', () => {
  test('GIVEN an API stack template over 1,000,000 bytes WHEN synthesized THEN synth fails naming the template, its size and the fix', () => {
    const app = testApp();
    const stack = testStack(app);
    const api = new ServerlessApi(stack, 'Api');
    const shared = inlineHandler();
    for (let i = 0; i < 24; i++) {
      api.addRoute({ method: 'GET', path: `/${'a'.repeat(45000)}${i}`, handler: shared });
    }

    expect(() => app.synth()).toThrow(new RegExp(
      "ERROR The template TestStack\\.template\\.json of TestStack has [\\d,]+ bytes, over CloudFormation's limit of 1,000,000 bytes per template: "
      + 'CloudFormation rejects it\\. \\(ServerlessApi template limits\\)[\\s\\S]*'
      + "Suggested fix: One RestApi's OpenAPI body lives in this template and grows by 400-600 bytes per route\\. "
      + 'Split the routes into several ServerlessApis, one per first path segment, .* set suppressTemplateIndentation: true on this stack'));
    expect(violationsOf(app.outdir).map(v => v.ruleName)).toEqual(['ServerlessApi-TemplateBytes']);
  });

  test('GIVEN an API stack with 501 resources and CDK\'s own check lifted WHEN synthesized THEN the library\'s check fails naming the count', () => {
    const app = testApp({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
    const stack = testStack(app);
    new ServerlessApi(stack, 'Api').addRoute({ method: 'GET', path: '/a', handler: inlineHandler() });
    const base = Object.keys(app.synth().getStackArtifact(stack.artifactId).template.Resources).length;
    const app2 = testApp({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
    const stack2 = testStack(app2);
    new ServerlessApi(stack2, 'Api').addRoute({ method: 'GET', path: '/a', handler: inlineHandler() });
    for (let i = 0; i < 501 - base; i++) {
      new CfnResource(stack2, `Topic${i}`, { type: 'AWS::SNS::Topic' });
    }

    expect(() => app2.synth()).toThrow(
      "ERROR The template TestStack.template.json of TestStack has 501 resources, over CloudFormation's limit of 500 resources per template: "
      + 'CloudFormation rejects it. (ServerlessApi template limits)');
    expect(violationsOf(app2.outdir).map(v => v.ruleName)).toEqual(['ServerlessApi-TemplateResources']);
  });

  test('GIVEN templates within the limits THEN the check reports nothing', () => {
    const app = testApp();
    new ServerlessApi(testStack(app), 'Api').addRoute({ method: 'GET', path: '/a', handler: inlineHandler() });
    expect(() => app.synth()).not.toThrow();
    const report = path.join(app.outdir, 'validation-report.json');
    expect(fs.existsSync(report) ? violationsOf(app.outdir) : []).toEqual([]);
  });
});
