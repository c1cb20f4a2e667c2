import { Match, Template } from 'aws-cdk-lib/assertions';
import { Audit } from 'serverless-api-constructs';
import { assetHashSerializer, stageTemplates, testApp } from 'serverless-api-constructs/testing';
import { addIngestPipelineStages } from '../lib/ingest-pipeline-stages';

expect.addSnapshotSerializer(assetHashSerializer);

const app = testApp();
const stages = addIngestPipelineStages(app);
Audit.enable(app);

describe.each(['Dev', 'Prod'] as const)('the %s stage', (id) => {
  test('matches its snapshot', () => {
    expect(stageTemplates(stages[id])).toMatchSnapshot();
  });
});

test('no Lambda anywhere: API Gateway writes to Kinesis, Firehose delivers to S3', () => {
  const template = Template.fromStack(stages.Prod.pipeline);
  template.resourceCountIs('AWS::Lambda::Function', 0);
  template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
    DeliveryStreamType: 'KinesisStreamAsSource',
    ExtendedS3DestinationConfiguration: Match.objectLike({ CompressionFormat: 'GZIP', Prefix: Match.stringLikeRegexp('^readings/') }),
  });
});

test('readings need an API key of the partners\' plan and are partitioned by device', () => {
  const template = Template.fromStack(stages.Prod.pipeline);
  const body = Object.values<any>(template.findResources('AWS::ApiGateway::RestApi'))[0].Properties.Body;
  const operation = body.paths['/devices/{deviceId}/readings'].post;
  expect(operation.security).toEqual([{ api_key: [] }]);
  // The template names the stream by a reference (a Fn::Join): look for the partition key in its text.
  expect(JSON.stringify(operation['x-amazon-apigateway-integration'].requestTemplates['application/json']))
    .toContain('\\"PartitionKey\\":\\"$util.escapeJavaScript($input.params().path.get(\'deviceId\'))');
  template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Quota: { Limit: 1000000, Period: 'DAY' } });
});

test('the API role may only PutRecord on this stream', () => {
  const template = Template.fromStack(stages.Prod.pipeline);
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: [{ Action: 'kinesis:PutRecord', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Readings'), 'Arn'] } }] },
  });
});

test('the audit passes: cdk-nag AwsSolutions and the library\'s checks, every finding fixed or acknowledged with a reason', () => {
  expect(() => app.synth()).not.toThrow();
});
