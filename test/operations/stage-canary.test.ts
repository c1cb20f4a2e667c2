import { Template } from 'aws-cdk-lib/assertions';
import { RouteAuthorization, ServerlessApi, StageCanaryOptions } from '../../lib';
import { inlineHandler, testStack } from '../util';

function synth(canary?: StageCanaryOptions) {
  const stack = testStack();
  const api = new ServerlessApi(stack, 'Api', { stage: { canary } });
  api.addRoute({ method: 'GET', path: '/items', handler: inlineHandler(), authorization: RouteAuthorization.none() });
  const template = Template.fromStack(stack);
  const stage = Object.values<any>(template.findResources('AWS::ApiGateway::Stage'))[0];
  return { stack, template, stage };
}

describe('stage canary', () => {
  test('GIVEN a canary THEN the stage sends that percent to the latest deployment, without the stage cache', () => {
    const { stage } = synth({ percentTraffic: 10, stageVariableOverrides: { lambdaAlias: 'canary' } });

    expect(stage.Properties.CanarySetting).toEqual({
      DeploymentId: { Ref: expect.stringMatching(/^ApiDeployment/) },
      PercentTraffic: 10,
      StageVariableOverrides: { lambdaAlias: 'canary' },
      UseStageCache: false,
    });
    expect(stage.Properties.DeploymentId).toEqual(stage.Properties.CanarySetting.DeploymentId);
  });

  test('GIVEN a stable deployment THEN the stage keeps it and only the canary gets the new deployment', () => {
    const { stage } = synth({ percentTraffic: 5, stableDeploymentId: 'a1b2c3', useStageCache: true });

    expect(stage.Properties.DeploymentId).toBe('a1b2c3');
    expect(stage.Properties.CanarySetting).toMatchObject({ DeploymentId: { Ref: expect.stringMatching(/^ApiDeployment/) }, PercentTraffic: 5, UseStageCache: true });
  });

  test('GIVEN a canary THEN a companion resource removes /canarySettings from the stage when it is deleted', () => {
    const { template } = synth({ percentTraffic: 10 });

    const [companion] = Object.values<any>(template.findResources('Custom::AWS'));
    expect(companion.Properties.Create).toBeUndefined();
    const text = companion.Properties.Delete['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join('');
    expect(JSON.parse(text)).toMatchObject({
      service: 'APIGateway', action: 'updateStage',
      parameters: { restApiId: 'TOKEN', stageName: 'TOKEN', patchOperations: [{ op: 'remove', path: '/canarySettings' }] },
      ignoreErrorCodesMatching: 'NotFoundException|BadRequestException',
    });
  });

  test('GIVEN the canary is dropped (template transition) THEN the CanarySetting and its companion leave the template: CloudFormation deletes the companion, whose Delete clears the canary', () => {
    const before = synth({ percentTraffic: 10, stableDeploymentId: 'a1b2c3' });
    const after = synth(undefined);

    const companions = (t: Template) => Object.keys(t.findResources('Custom::AWS'));
    expect(companions(before.template)).toHaveLength(1);
    expect(companions(after.template)).toEqual([]); // deleted on update → its onDelete runs
    expect(after.stage.Properties.CanarySetting).toBeUndefined();
    // Promotion: the stage goes back to the latest deployment, the one the canary served.
    expect(after.stage.Properties.DeploymentId).toEqual(before.stage.Properties.CanarySetting.DeploymentId);
  });

  test('GIVEN no canary THEN no canary setting and no custom resource', () => {
    const { template, stage } = synth();

    expect(stage.Properties.CanarySetting).toBeUndefined();
    template.resourceCountIs('Custom::AWS', 0);
  });

  test('fails if the percent is outside 0-100', () => {
    expect(() => synth({ percentTraffic: 120 })).toThrow("TestStack/Api: stage.canary.percentTraffic is outside 0-100 (received 120). Give the percent of requests the canary serves, e.g. 10; drop stage.canary to remove the canary.");
    expect(() => synth({ percentTraffic: -1 })).toThrow(/stage\.canary\.percentTraffic is outside 0-100 \(received -1\)/);
  });

  test('fails if the stable deployment is not a deployment id', () => {
    expect(() => synth({ percentTraffic: 10, stableDeploymentId: 'prod' })).toThrow("TestStack/Api: stage.canary.stableDeploymentId is not an API Gateway deployment id (received 'prod').");
  });

  test('fails if a stage variable name is invalid', () => {
    expect(() => synth({ percentTraffic: 10, stageVariableOverrides: { 'my-var': 'x' } })).toThrow(/stage\.canary\.stageVariableOverrides is not a stage variable \(received \{"my-var":"x"\}\)/);
  });
});
