import * as path from 'path';
import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  ApiDomain, DataAccess, EnvironmentConfig, RouteAuthorization, RouteHandler, ServerlessApi, ServerlessTable,
} from 'serverless-api-constructs';

export interface TodoStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * The todo API: signed-in users (Cognito) manage todos, a partner reads them with an API key, anyone
 * may call /health; served at the stage's custom domain.
 */
export class TodoStack extends Stack {
  public readonly api: ServerlessApi;
  public readonly todos: ServerlessTable;
  public readonly domain?: ApiDomain;

  constructor(scope: Construct, id: string, props: TodoStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.todos = new ServerlessTable(this, 'Todos', { timeToLiveAttribute: 'expiresAt' });

    this.api = new ServerlessApi(this, 'TodoApi', {
      apiName: `todo-${config.name}`,
      stageName: config.name,
      stage: config.stage,
      cognito: {}, // a user pool for this stage, with an app client
      cors: { allowOrigins: ['https://app.example.com'] },
    });

    // POST/GET/PUT/DELETE /todos: the library's handlers, each with only the table access it needs.
    this.api.addCrudResource('todos', {
      table: this.todos.table,
      readAuthorization: RouteAuthorization.cognito(),
      writeAuthorization: RouteAuthorization.cognito(),
    });

    this.api.addRoute({
      method: 'GET',
      path: '/health',
      handler: RouteHandler.fromEntry(path.join(__dirname, '..', 'src', 'health.ts'), { memorySize: 128 }),
      authorization: RouteAuthorization.none(),
    });

    // A partner reads todos with an API key of the standard plan (no user sign-in).
    this.api.addRoute({
      method: 'GET',
      path: '/partner/todos',
      handler: RouteHandler.fromEntry(path.join(__dirname, '..', 'src', 'partner-todos.ts'), {
        environment: { TABLE_NAME: this.todos.table.tableName },
        dataAccess: [DataAccess.tableActions(this.todos.table, 'dynamodb:Scan')],
      }),
      authorization: RouteAuthorization.none(),
      apiKeyRequired: true,
    });
    const plan = this.api.addUsagePlan('Partners', { planName: `todo-partners-${config.name}`, ...config.usagePlans?.standard });
    this.api.addApiKey('PartnerKey', { consumerName: 'partner', plans: [plan] }); // outputs its id and how to read its value

    if (config.webAcl) {
      this.api.addWebAcl();
    } else {
      Validations.of(this.api.stage.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: `The ${config.name} stage serves the team's testing, not public traffic; prod has a WAF web ACL (config.webAcl).`,
      });
    }

    if (config.domain) {
      this.domain = this.api.addDomain({
        domainName: config.domain.domainName,
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: config.domain.hostedZoneId,
          zoneName: config.domain.zoneName,
        }),
      });
    }
  }
}
