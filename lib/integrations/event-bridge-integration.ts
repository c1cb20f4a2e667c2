import * as events from 'aws-cdk-lib/aws-events';
import { propError } from '../core/errors';
import { AwsIntegrationOptions, checkPathParametersUsed, credentialsFor, parametersUsedBy, regionOf, renderAwsService, timeoutMillis } from './aws-service';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';
import { errorJson, escaped, isTemplateSafe, jsonString, setStatus } from './mapping-templates';
import { registerJsonObjectBody } from './request-body';

/** Options of {@link Integration.eventBridge}. */
export interface EventBridgeIntegrationOptions extends AwsIntegrationOptions {
  /** The events' `source`, e.g. 'com.example.orders' (not starting with 'aws.'). */
  readonly source: string;
  /**
   * The events' `detail-type`.
   * @default - the route, e.g. 'POST /orders'
   */
  readonly detailType?: string;
}

const SOURCE = /^[A-Za-z0-9._\-/:]{1,256}$/;

/** PutEvents answers 200 with per-entry failures: a failed entry becomes the library's error shape. */
function putEventsResponseTemplate(): string {
  return [
    '#set($failed = "$!input.path(\'$.FailedEntryCount\')")',
    '#if($failed == "" || $failed == "0")',
    `{"eventId":${jsonString('$input.path(\'$.Entries[0].EventId\')')},"requestId":"$context.requestId"}`,
    '#else',
    '#set($code = "$!input.path(\'$.Entries[0].ErrorCode\')")',
    '#if($code == "MalformedDetail" || $code == "InvalidArgument")',
    setStatus(400), errorJson('BadRequest', 'The event bus does not accept this event.'),
    '#elseif($code == "ThrottlingException")',
    setStatus(429), errorJson('TooManyRequests', 'The service is busy; retry with backoff.'),
    '#else',
    setStatus(500), errorJson('InternalError', 'The request could not be completed.'),
    '#end',
    '#end',
  ].join('\n');
}

/**
 * A route → EventBridge `PutEvents`: one event whose `detail` is the request body (a JSON object,
 * validated before the call), on the given bus. Answers `202 {"eventId":"...","requestId":"..."}`.
 * @internal
 */
export class EventBridgeIntegrationKind implements IntegrationKind {
  constructor(private readonly bus: events.IEventBus, private readonly options: EventBridgeIntegrationOptions) {}

  public bind(context: IntegrationBindContext): BoundIntegration {
    const { bus, options } = this;
    const prop = `route '${context.routeKey}' integration`;
    if (!bus || typeof bus.eventBusArn !== 'string') {
      throw propError(context.api, prop, bus, 'has no event bus', 'Pass an events.IEventBus: Integration.eventBridge(bus, { source }).');
    }
    const source = options?.source;
    if (typeof source !== 'string' || !SOURCE.test(source) || source.startsWith('aws.')) {
      throw propError(context.api, `${prop} source`, source, 'is not a source an application may send (1-256 of letters, digits, . _ - / :, not starting with \'aws.\')',
        'Name your application, e.g. \'com.example.orders\'.');
    }
    const detailType = options.detailType ?? context.routeKey;
    if (typeof detailType !== 'string' || detailType.length === 0 || detailType.length > 128 || !isTemplateSafe(detailType)) {
      throw propError(context.api, `${prop} detailType`, detailType, 'is not a usable detail-type (1-128 characters, no quotes, backslashes, $ or #)',
        'Use e.g. \'OrderPlaced\'.');
    }
    const timeout = timeoutMillis(context, `${prop} timeout`, options.timeout);
    const role = credentialsFor(context, bus, 'event bus', options, [{
      key: `events:PutEvents ${bus.node.path}`,
      grant: grantee => bus.grantPutEventsTo(grantee),
    }]);
    let requestTemplate = options.requestTemplate;
    if (requestTemplate === undefined) {
      checkPathParametersUsed(context, [], prop,
        'The event\'s detail is the request body: move the value into the body, or use Integration.stepFunctions, whose input has the path.');
      requestTemplate = `{"Entries":[{"EventBusName":"${bus.eventBusArn}","Source":"${source}","DetailType":"${detailType}",`
        + `"Detail":"${escaped('$input.json(\'$\')')}"}]}`;
    } else {
      checkPathParametersUsed(context, parametersUsedBy(requestTemplate, context.parsed.parameters), `${prop} requestTemplate`,
        'Read it in the template ($input.params().path.get(\'name\')), or drop it from the path.');
    }
    const requestBody = registerJsonObjectBody(context.api);
    const template = requestTemplate;
    return {
      render: render => renderAwsService(context, {
        service: 'events',
        target: 'action/PutEvents',
        region: regionOf(context, bus),
        httpMethod: 'POST',
        role,
        requestParameters: {
          'integration.request.header.X-Amz-Target': '\'AWSEvents.PutEvents\'',
          'integration.request.header.Content-Type': '\'application/x-amz-json-1.1\'',
        },
        requestTemplate: template,
        timeoutMillis: timeout,
        requestBody,
        success: { statusCode: 202, template: options.responseTemplate ?? putEventsResponseTemplate() },
        extraStatuses: [400],
        clientErrors: [
          { codes: ['ValidationException'], messageContains: '256', status: 413, code: 'PayloadTooLarge', message: 'The event is larger than EventBridge accepts (256 KB).' },
          { codes: ['ValidationException', 'InvalidArgument', 'SerializationException'], status: 400, code: 'BadRequest', message: 'The event bus does not accept this event.' },
        ],
      }, render),
    };
  }
}
