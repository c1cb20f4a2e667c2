import { CfnElement, Duration, RemovalPolicy, Size, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  EnvironmentConfig, Integration, RequestValue, RouteAuthorization, ServerlessApi,
} from 'serverless-api-constructs';

export interface IngestPipelineStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * Device readings from partners, end to end without a Lambda:
 * clients (API key, usage plan) → API Gateway → Kinesis Data Stream → Firehose → S3.
 *
 * `POST /devices/{deviceId}/readings` puts the body on the stream as one record, partitioned by
 * device (one device's readings stay in order); Firehose batches records into gzip objects under
 * `readings/year=/month=/day=/`. Each partner has its own key; the plan limits its rate and quota.
 */
export class IngestPipelineStack extends Stack {
  public readonly api: ServerlessApi;
  public readonly stream: kinesis.Stream;
  public readonly deliveryStream: firehose.DeliveryStream;
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: IngestPipelineStackProps) {
    super(scope, id, props);
    const { config } = props;
    const keepData = config.data.removalPolicy !== RemovalPolicy.DESTROY;

    this.stream = new kinesis.Stream(this, 'Readings', {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(24),
    });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: config.data.removalPolicy,
      autoDeleteObjects: false,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    Validations.of(accessLogs.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the readings bucket; logging it into itself would loop.',
    });
    this.bucket = new s3.Bucket(this, 'Archive', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: keepData,
      removalPolicy: config.data.removalPolicy,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'archive/',
      lifecycleRules: [{ transitions: [{ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }] }],
    });

    this.deliveryStream = new firehose.DeliveryStream(this, 'ToArchive', {
      source: new firehose.KinesisStreamSource(this.stream),
      destination: new firehose.S3Bucket(this.bucket, {
        dataOutputPrefix: 'readings/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        errorOutputPrefix: 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        bufferingInterval: Duration.minutes(1),
        bufferingSize: Size.mebibytes(64),
        compression: firehose.Compression.GZIP,
      }),
    });

    Validations.of(this.deliveryStream.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason: 'Firehose takes no server-side encryption setting when its source is a Kinesis stream: the records are encrypted at rest '
        + 'in the stream (KMS) and in the archive bucket (S3-managed keys).',
    });
    const deliveryPolicy = this.deliveryStream.node.findChild('S3 Destination Role').node.findChild('DefaultPolicy');
    Validations.of(deliveryPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
      reason: 'Firehose writes objects anywhere under its prefixes of the archive bucket (the grant is CDK\'s bucket.grantReadWrite for the '
        + 'delivery role): object keys are generated per batch.',
    });
    for (const action of ['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*']) {
      Validations.of(deliveryPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: 'The S3 action families CDK grants a Firehose delivery role (bucket.grantReadWrite) on the archive bucket only: multipart '
          + 'uploads, retries and the delivery checks need them.',
      });
    }

    this.api = new ServerlessApi(this, 'IngestApi', {
      apiName: `ingest-${config.name}`,
      stageName: config.name,
      stage: config.stage,
      endpointType: apigateway.EndpointType.REGIONAL,
    });
    // Partners authenticate with their API key: the route is otherwise public.
    this.api.addRoute({
      method: 'POST', path: '/devices/{deviceId}/readings',
      integration: Integration.kinesis(this.stream, { partitionKey: RequestValue.pathParameter('deviceId') }),
      authorization: RouteAuthorization.none(),
      apiKeyRequired: true,
    });
    this.api.addRoute({
      method: 'GET', path: '/health',
      integration: Integration.mock({ statusCode: 200, body: '{"status":"ok"}' }),
      authorization: RouteAuthorization.none(),
    });
    const partners = this.api.addUsagePlan('Partners', {
      throttle: { rateLimit: 50, burstLimit: 100 },
      quota: { limit: 1_000_000, period: apigateway.Period.DAY },
    });
    this.api.addApiKey('AcmeSensors', { consumerName: 'acme-sensors', plans: [partners] });
    this.api.throttleRoute('POST', '/devices/{deviceId}/readings', { rateLimit: 500, burstLimit: 1000 });
    this.api.addWebAcl();
  }
}
