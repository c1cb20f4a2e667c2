import * as sqs from 'aws-cdk-lib/aws-sqs';
import { propError } from '../core/errors';
import { AwsIntegrationOptions, checkPathParametersUsed, credentialsFor, parametersUsedBy, regionOf, renderAwsService, timeoutMillis } from './aws-service';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';
import { jsonString } from './mapping-templates';
import { RequestValue } from './request-value';

/** Options of {@link Integration.sqs}. */
export interface SqsIntegrationOptions extends AwsIntegrationOptions {
  /**
   * The message group of a FIFO queue's messages (required for FIFO queues, an error otherwise).
   * @default - none (standard queues)
   */
  readonly messageGroupId?: RequestValue;
  /**
   * The delay before the message becomes visible, in seconds (0-900).
   * @default - the queue's delivery delay
   */
  readonly delaySeconds?: number;
}

/**
 * `POST` → SQS `SendMessage`. The message body is the request body exactly as sent; its attributes
 * carry the request id (`requestId`) and the route's path parameters (`path.<name>`). A FIFO queue
 * gets the request id as deduplication id, so a retried send of the same request is not queued
 * twice. Answers `202 {"messageId":"...","requestId":"..."}`.
 * @internal
 */
export class SqsIntegrationKind implements IntegrationKind {
  constructor(private readonly queue: sqs.IQueue, private readonly options: SqsIntegrationOptions) {}

  public bind(context: IntegrationBindContext): BoundIntegration {
    const { queue, options } = this;
    const prop = `route '${context.routeKey}' integration`;
    if (!queue || typeof queue.queueArn !== 'string') {
      throw propError(context.api, prop, queue, 'has no queue', 'Pass an sqs.IQueue: Integration.sqs(queue).');
    }
    const fifo = queue.fifo;
    if (fifo && !options.messageGroupId) {
      throw propError(context.api, `${prop} messageGroupId`, undefined, 'is required for the FIFO queue',
        'Pass messageGroupId, e.g. RequestValue.pathParameter(\'customerId\') or RequestValue.requestId() (no ordering across requests).');
    }
    if (!fifo && options.messageGroupId) {
      throw propError(context.api, `${prop} messageGroupId`, 'a RequestValue', 'is set for a standard (not FIFO) queue',
        'Drop messageGroupId, or use a FIFO queue (fifo: true).');
    }
    if (options.delaySeconds !== undefined && (!Number.isInteger(options.delaySeconds) || options.delaySeconds < 0 || options.delaySeconds > 900)) {
      throw propError(context.api, `${prop} delaySeconds`, options.delaySeconds, 'must be an integer from 0 to 900', 'Use e.g. 30.');
    }
    const timeout = timeoutMillis(context, `${prop} timeout`, options.timeout);
    const role = credentialsFor(context, queue, 'queue', options, [{
      key: `sqs:SendMessage ${queue.node.path}`,
      grant: grantee => queue.grantSendMessages(grantee),
    }]);

    let template = options.requestTemplate;
    if (template === undefined) {
      const attributes: Array<[string, string]> = [['requestId', '$context.requestId'],
        ...context.parsed.parameters.map((p): [string, string] => [`path.${p}`, `$input.params().path.get('${p}')`])];
      template = [
        'Action=SendMessage',
        'MessageBody=$util.urlEncode($input.body)',
        ...attributes.flatMap(([name, value], i) => [
          `MessageAttribute.${i + 1}.Name=${name}`,
          `MessageAttribute.${i + 1}.Value.DataType=String`,
          `MessageAttribute.${i + 1}.Value.StringValue=$util.urlEncode(${value})`,
        ]),
        ...(fifo ? [`MessageGroupId=$util.urlEncode(${options.messageGroupId!._vtl(context, `${prop} messageGroupId`)})`,
          'MessageDeduplicationId=$util.urlEncode($context.requestId)'] : []),
        ...(options.delaySeconds !== undefined ? [`DelaySeconds=${options.delaySeconds}`] : []),
      ].join('&');
    } else {
      checkPathParametersUsed(context, parametersUsedBy(template, context.parsed.parameters), `${prop} requestTemplate`,
        'Read it in the template ($input.params().path.get(\'name\')), or drop it from the path.');
    }
    const requestTemplate = template;
    // The queue's consumers fail into its dead-letter queue, when it is a Queue of this app that has one.
    const deadLetterQueue = queue instanceof sqs.Queue ? queue.deadLetterQueue?.queue : undefined;
    return {
      monitored: deadLetterQueue ? { deadLetterQueues: [deadLetterQueue] } : undefined,
      render: render => renderAwsService(context, {
        service: 'sqs',
        // path/<account>/<queue name>, the queue's URL path (its own account, from its ARN when imported).
        target: `path/${queue.env.account}/${queue.queueName}`,
        region: regionOf(context, queue),
        httpMethod: 'POST',
        role,
        requestParameters: {
          'integration.request.header.Content-Type': '\'application/x-www-form-urlencoded\'',
          'integration.request.header.Accept': '\'application/json\'',
        },
        requestTemplate,
        timeoutMillis: timeout,
        success: {
          statusCode: 202,
          template: options.responseTemplate
            ?? `{"messageId":${jsonString('$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')')},"requestId":"$context.requestId"}`,
        },
        clientErrors: [
          { codes: ['InvalidParameterValue', 'InvalidParameterValueException'], messageContains: 'shorter', status: 413, code: 'PayloadTooLarge',
            message: 'The message is larger than the queue accepts.' },
          { codes: ['InvalidMessageContents', 'InvalidParameterValue', 'InvalidParameterValueException', 'MissingParameter'], status: 400, code: 'BadRequest',
            message: 'The queue does not accept this message (empty, or with characters SQS does not allow).' },
        ],
      }, render),
    };
  }
}
