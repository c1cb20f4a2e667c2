import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Stack, Stage } from 'aws-cdk-lib';
import { ApiDomain, ServerlessApi } from '../../lib';
import { inlineHandler, testApp } from '../util';
test('exp', () => {
  const app = testApp({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
  const stage = new Stage(app, 'Prod');
  const stack = new Stack(stage, 'Api', { env: { account: '123456789012', region: 'eu-west-1' } });
  const api = new ServerlessApi(stack, 'Api', { routes: [{ method: 'GET', path: '/x', handler: inlineHandler() }] });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
  const d = new ApiDomain(stack, 'Domain', { domainName: 'api.example.com', hostedZone: zone, mappings: [{ basePath: 'v1', api }] });
  const asm = stage.synth();
  for (const s of asm.stacks) { console.log(s.id, s.stackName, s.environment.name, s.dependencies.map(d => d.id)); }
  const t = Template.fromStack(d.certificateStack!).toJSON();
  console.log(JSON.stringify(t, null, 1));
  const a = Template.fromStack(stack).toJSON();
  console.log(JSON.stringify(Object.fromEntries(Object.entries(a.Resources).filter(([k]: any) => /Domain|Map|Record/.test(k))), null, 1));
});
