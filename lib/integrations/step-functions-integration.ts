import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { propError } from '../core/errors';
import { AwsIntegrationOptions, checkPathParametersUsed, credentialsFor, parametersUsedBy, regionOf, renderAwsService, timeoutMillis } from './aws-service';
import type { BoundIntegration, IntegrationBindContext, IntegrationKind } from './integration-binding';
import { escaped, errorJson, jsonString, setStatus } from './mapping-templates';
import { registerJsonObjectBody } from './request-body';
import { requestDocumentAsString } from './request-document';

/** How a route runs its state machine. */
export enum StepFunctionsMode {
  /**
   * `StartExecution`: the route answers `202 {"executionArn":...}` as soon as the execution starts
   * (Standard and Express workflows).
   */
  START = 'START',
  /**
   * `StartSyncExecution`: the route waits for the workflow (Express workflows only, at most 29
   * seconds) and answers its output, or the library's error shape when it fails.
   */
  SYNC = 'SYNC',
}

/** Options of {@link Integration.stepFunctions}. */
export interface StepFunctionsIntegrationOptions extends AwsIntegrationOptions {
  /**
   * Start the execution and answer 202, or wait for its result (Express only).
   * @default StepFunctionsMode.START
   */
  readonly mode?: StepFunctionsMode;
}

/**
 * Error names a workflow's `Fail` state can use to answer a client error from a SYNC route: the
 * `Cause` is the message the client reads.
 */
const CLIENT_ERRORS: Array<[string, number]> = [
  ['BadRequest', 400], ['Unauthorized', 401], ['Forbidden', 403], ['NotFound', 404], ['Conflict', 409],
  ['PayloadTooLarge', 413], ['UnprocessableEntity', 422], ['TooManyRequests', 429],
];

/** The response of a synchronous execution: its output, or the error shape for FAILED / TIMED_OUT. */
function syncResponseTemplate(): string {
  const lines = [
    '#set($status = "$!input.path(\'$.status\')")',
    '#if($status == "SUCCEEDED")',
    '$input.path(\'$.output\')',
    '#elseif($status == "TIMED_OUT")',
    setStatus(504),
    errorJson('GatewayTimeout', 'The workflow did not finish in time.'),
    '#else',
    '#set($error = "$!input.path(\'$.error\')")',
  ];
  CLIENT_ERRORS.forEach(([name, status], i) => {
    lines.push(`${i === 0 ? '#if' : '#elseif'}($error == "${name}")`, setStatus(status),
      `{"error":{"code":"${name}","message":${jsonString('$input.path(\'$.cause\')')},"requestId":"$context.requestId"}}`);
  });
  lines.push('#else', setStatus(500), errorJson('InternalError', 'The workflow failed.'), '#end', '#end');
  return lines.join('\n');
}

/**
 * A route → Step Functions. The execution's input is the request document (see
 * ./request-document.ts), its name the request id (a retried request cannot start it twice). START
 * answers `202 {"executionArn":"...","requestId":"..."}`; SYNC answers the workflow's output with
 * 200, or, when it fails, the status named by its `Fail` state's error (`NotFound` → 404, ...; any
 * other → 500; a timeout → 504).
 * @internal
 */
export class StepFunctionsIntegrationKind implements IntegrationKind {
  constructor(private readonly stateMachine: sfn.IStateMachine, private readonly options: StepFunctionsIntegrationOptions) {}

  public bind(context: IntegrationBindContext): BoundIntegration {
    const { stateMachine, options } = this;
    const prop = `route '${context.routeKey}' integration`;
    if (!stateMachine || typeof stateMachine.stateMachineArn !== 'string') {
      throw propError(context.api, prop, stateMachine, 'has no state machine', 'Pass an sfn.IStateMachine: Integration.stepFunctions(stateMachine).');
    }
    const mode = options.mode ?? StepFunctionsMode.START;
    if (!Object.values(StepFunctionsMode).includes(mode)) {
      throw propError(context.api, `${prop} mode`, mode, 'is not a StepFunctionsMode', 'Use StepFunctionsMode.START or StepFunctionsMode.SYNC.');
    }
    if (mode === StepFunctionsMode.SYNC && stateMachine instanceof sfn.StateMachine && stateMachine.stateMachineType !== sfn.StateMachineType.EXPRESS) {
      throw propError(context.api, `${prop} mode`, 'SYNC', `needs an EXPRESS state machine, and '${stateMachine.node.path}' is ${stateMachine.stateMachineType}`,
        'Create it with stateMachineType: sfn.StateMachineType.EXPRESS, or use StepFunctionsMode.START (answers 202 with the execution ARN).');
    }
    const timeout = timeoutMillis(context, `${prop} timeout`, options.timeout);
    const sync = mode === StepFunctionsMode.SYNC;
    const role = credentialsFor(context, stateMachine, 'state machine', options, [{
      key: `states:${sync ? 'StartSyncExecution' : 'StartExecution'} ${stateMachine.node.path}`,
      grant: grantee => (sync ? stateMachine.grantStartSyncExecution(grantee) : stateMachine.grantStartExecution(grantee)),
    }]);
    let requestTemplate = options.requestTemplate;
    if (requestTemplate === undefined) {
      requestTemplate = `{"stateMachineArn":"${stateMachine.stateMachineArn}","name":${jsonString('$context.requestId')},`
        + `"input":"${requestDocumentAsString(context.parsed.parameters)}"}`;
    } else {
      checkPathParametersUsed(context, parametersUsedBy(requestTemplate, context.parsed.parameters), `${prop} requestTemplate`,
        'Read it in the template ($input.params().path.get(\'name\')), or drop it from the path.');
    }
    const requestBody = registerJsonObjectBody(context.api);
    const template = requestTemplate;
    return {
      monitored: { stateMachines: [stateMachine] },
      render: render => renderAwsService(context, {
        service: 'states',
        target: `action/${sync ? 'StartSyncExecution' : 'StartExecution'}`,
        region: regionOf(context, stateMachine),
        httpMethod: 'POST',
        role,
        requestTemplate: template,
        timeoutMillis: timeout,
        requestBody,
        success: sync
          ? { statusCode: 200, template: options.responseTemplate ?? syncResponseTemplate() }
          : { statusCode: 202, template: options.responseTemplate ?? `{"executionArn":"${escaped('$input.path(\'$.executionArn\')')}","requestId":"$context.requestId"}` },
        extraStatuses: sync ? [...CLIENT_ERRORS.map(([, s]) => s), 504] : [],
        clientErrors: [
          { codes: ['InvalidExecutionInput'], status: 400, code: 'BadRequest', message: 'The request is not a valid workflow input.' },
          { codes: ['ExecutionAlreadyExists'], status: 409, code: 'Conflict', message: 'This request already started an execution.' },
          { codes: ['ExecutionLimitExceeded'], status: 429, code: 'TooManyRequests', message: 'Too many executions are running; retry later.' },
        ],
      }, render),
    };
  }
}
