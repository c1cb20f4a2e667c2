import { CfnOutput } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/**
 * The stage URL output: aws-cdk-lib's RestApi creates it as `Endpoint` (so its logical ID is the one
 * every RestApi user knows); this describes it, or removes it when outputs are off. @internal
 */
export function stageUrlOutput(restApi: apigateway.SpecRestApi, enabled: boolean): CfnOutput | undefined {
  const output = restApi.node.tryFindChild('Endpoint');
  if (!(output instanceof CfnOutput)) {
    return undefined;
  }
  if (!enabled) {
    restApi.node.tryRemoveChild('Endpoint');
    return undefined;
  }
  output.description = `Stage URL of ${restApi.node.scope!.node.path}`;
  return output;
}
