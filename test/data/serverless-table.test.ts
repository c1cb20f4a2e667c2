import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ServerlessTable } from '../../lib';
import { testStack } from '../util';

describe('ServerlessTable', () => {
  test('GIVEN defaults THEN on-demand, PITR, AWS-managed encryption, string id key, retained and deletion-protected', () => {
    const stack = testStack();
    new ServerlessTable(stack, 'Items');
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });

  test('GIVEN removalPolicy DESTROY THEN deletion protection is off by default', () => {
    const stack = testStack();
    new ServerlessTable(stack, 'Items', { removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: { DeletionProtectionEnabled: false },
    });
  });

  test('GIVEN TTL and a GSI THEN both are configured', () => {
    const stack = testStack();
    new ServerlessTable(stack, 'Items', {
      timeToLiveAttribute: 'expiresAt',
      globalSecondaryIndexes: [{ indexName: 'byOwner', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [{ IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
  });

  test('GIVEN PITR off THEN it is off', () => {
    const stack = testStack();
    new ServerlessTable(stack, 'Items', { pointInTimeRecovery: false });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
  });

  test('GIVEN a ServerlessTable THEN its logical ID derives from its own construct ID only', () => {
    const stack = testStack();
    new ServerlessTable(stack, 'Items');
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))).toEqual(['Items69BE2272']);
  });
});
