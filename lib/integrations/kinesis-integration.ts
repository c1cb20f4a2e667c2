import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { propError } from '../core/errors';
import { AwsIntegrationOptions, checkPathParametersUsed, credentialsFor, parametersUsedBy, regionOf, renderAwsService, timeoutMillis } from './aws-service';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';
import { jsonString } from './mapping-templates';
import { RequestValue } from './request-value';

/** Options of {@link Integration.kinesis}. */
export interface KinesisIntegrationOptions extends AwsIntegrationOptions {
  /**
   * The record's partition key: records with the same key go to the same shard, in order.
   * @default RequestValue.requestId() (records spread evenly, no ordering across requests)
   */
  readonly partitionKey?: RequestValue;
}

/**
 * A route → Kinesis Data Streams `PutRecord`. The record's data is the request body exactly as sent
 * (base64 on the wire, as the API requires). Answers
 * `202 {"sequenceNumber":"...","shardId":"...","requestId":"..."}`.
 * @internal
 */
export class KinesisIntegrationKind implements IntegrationKind {
  constructor(private readonly stream: kinesis.IStream, private readonly options: KinesisIntegrationOptions) {}

  public bind(context: IntegrationBindContext): BoundIntegration {
    const { stream, options } = this;
    const prop = `route '${context.routeKey}' integration`;
    if (!stream || typeof stream.streamArn !== 'string') {
      throw propError(context.api, prop, stream, 'has no stream', 'Pass a kinesis.IStream: Integration.kinesis(stream).');
    }
    const partitionKey = (options.partitionKey ?? RequestValue.requestId());
    const keyExpression = partitionKey._vtl(context, `${prop} partitionKey`);
    const timeout = timeoutMillis(context, `${prop} timeout`, options.timeout);
    const role = credentialsFor(context, stream, 'stream', options, [{
      key: `kinesis:PutRecord ${stream.node.path}`,
      // Exactly PutRecord (grantWrite would add PutRecords and ListShards), plus the stream key's
      // encrypt permission when the stream is encrypted with a customer key.
      grant: grantee => {
        stream.grant(grantee, 'kinesis:PutRecord');
        stream.encryptionKey?.grantEncrypt(grantee);
      },
    }]);
    let requestTemplate = options.requestTemplate;
    if (requestTemplate === undefined) {
      checkPathParametersUsed(context, partitionKey._pathParameter ? [partitionKey._pathParameter] : [], prop,
        'Use it as the partitionKey (RequestValue.pathParameter(\'name\')), or drop it from the path: the record is the body only.');
      requestTemplate = `{"StreamName":"${stream.streamName}","Data":"$util.base64Encode($input.body)","PartitionKey":${jsonString(keyExpression)}}`;
    } else {
      checkPathParametersUsed(context, parametersUsedBy(requestTemplate, context.parsed.parameters), `${prop} requestTemplate`,
        'Read it in the template ($input.params().path.get(\'name\')), or drop it from the path.');
    }
    const template = requestTemplate;
    return {
      render: render => renderAwsService(context, {
        service: 'kinesis',
        target: 'action/PutRecord',
        region: regionOf(context, stream),
        httpMethod: 'POST',
        role,
        requestTemplate: template,
        timeoutMillis: timeout,
        success: {
          statusCode: 202,
          template: options.responseTemplate ?? `{"sequenceNumber":${jsonString('$input.path(\'$.SequenceNumber\')')},`
            + `"shardId":${jsonString('$input.path(\'$.ShardId\')')},"requestId":"$context.requestId"}`,
        },
        clientErrors: [
          { codes: ['ValidationException', 'InvalidArgumentException'], messageContains: 'Member must have length less than or equal to', status: 413,
            code: 'PayloadTooLarge', message: 'The record is larger than the stream accepts.' },
          { codes: ['ValidationException', 'InvalidArgumentException', 'SerializationException'], status: 400, code: 'BadRequest',
            message: 'The stream does not accept this record (is its partition key empty?).' },
        ],
      }, render),
    };
  }
}
