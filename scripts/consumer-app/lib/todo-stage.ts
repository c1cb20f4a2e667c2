import { Stack, StackProps, Stage, StageProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  EnvironmentConfig, RouteAuthorization, RouteHandler, ServerlessApi, ServerlessTable,
} from 'serverless-api-constructs';

export interface TodoStageProps extends StageProps {
  readonly config: EnvironmentConfig;
}

/** One environment of the todo service: the API stack (and, made by the library, its us-east-1 certificate stack). */
export class TodoStage extends Stage {
  public readonly api: ServerlessApi;

  constructor(scope: Construct, id: string, props: TodoStageProps) {
    super(scope, id, props);
    const { config } = props;
    const stack = new Stack(this, 'TodoApi', { env: config.env } satisfies StackProps);

    const todos = new ServerlessTable(stack, 'Todos', { ...config.data });
    this.api = new ServerlessApi(stack, 'Api', {
      stageName: config.name,
      stage: config.stage,
      cognito: { userPoolProps: { removalPolicy: config.data.removalPolicy, deletionProtection: config.data.deletionProtection } },
    });
    // The library's own CRUD handlers: prebuilt in the package, no esbuild or Docker needed.
    this.api.addCrudResource('todos', {
      table: todos.table,
      readAuthorization: RouteAuthorization.cognito(),
      writeAuthorization: RouteAuthorization.cognito(),
    });
    // A route of the user's own, as prebuilt code (RouteHandler.fromEntry would need esbuild).
    this.api.addRoute({
      method: 'GET',
      path: '/health',
      handler: RouteHandler.fromCode(lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "{\\"ok\\":true}" });')),
      authorization: RouteAuthorization.none(),
    });
    // A web ACL where the environment asks for one (prod); elsewhere cdk-nag's finding is acknowledged
    // on the stage it concerns, with the reason.
    if (config.webAcl) {
      this.api.addWebAcl();
    } else {
      Validations.of(this.api.stage.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: `The ${config.name} stage serves the team's testing, not public traffic; WAF is on in prod.`,
      });
    }
    // Edge-optimized custom domain: the certificate goes into a us-east-1 companion stack of this stage.
    const domain = config.domain!;
    this.api.addDomain({
      domainName: domain.domainName,
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: domain.hostedZoneId, zoneName: domain.zoneName }),
    });
  }
}
