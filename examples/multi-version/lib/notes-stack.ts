import * as path from 'path';
import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import {
  ApiDomain, EnvironmentConfig, RouteAuthorization, RouteHandler, ServerlessApi, ServerlessTable,
} from 'serverless-api-constructs';

export interface NotesStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * Two versions of one API over one table, behind one regional custom domain: clients of v1 keep
 * working while v2 adds Cognito sign-in and a version route.
 */
export class NotesStack extends Stack {
  public readonly notes: ServerlessTable;
  public readonly v1: ServerlessApi;
  public readonly v2: ServerlessApi;
  public readonly domain: ApiDomain;

  constructor(scope: Construct, id: string, props: NotesStackProps) {
    super(scope, id, props);
    const { config } = props;
    const common = { stageName: config.name, stage: config.stage, endpointType: apigateway.EndpointType.REGIONAL };

    this.notes = new ServerlessTable(this, 'Notes');

    // v1: reads are public, writes are IAM-signed (internal tools).
    this.v1 = new ServerlessApi(this, 'NotesV1', { ...common, apiName: `notes-v1-${config.name}` });
    this.v1.addCrudResource('notes', {
      table: this.notes.table,
      readAuthorization: RouteAuthorization.none(),
      writeAuthorization: RouteAuthorization.iam(),
    });

    // v2: the same collection; writes take Cognito tokens of the stage's user pool.
    this.v2 = new ServerlessApi(this, 'NotesV2', { ...common, apiName: `notes-v2-${config.name}`, cognito: {} });
    this.v2.addCrudResource('notes', {
      table: this.notes.table,
      readAuthorization: RouteAuthorization.none(),
      writeAuthorization: RouteAuthorization.cognito(),
    });
    this.v2.addRoute({
      method: 'GET',
      path: '/version',
      handler: RouteHandler.fromEntry(path.join(__dirname, '..', 'src', 'version.ts'), { memorySize: 128 }),
      authorization: RouteAuthorization.none(),
    });

    for (const api of [this.v1, this.v2]) {
      Validations.of(api.stage.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: 'The notes API is internal to the team; it relies on stage throttling and route authorization rather than a WAF web ACL.',
      });
    }

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.domain!.hostedZoneId,
      zoneName: config.domain!.zoneName,
    });
    // https://notes.<env>.example.com/v1/notes and /v2/notes: a regional certificate is created in this region.
    this.domain = new ApiDomain(this, 'Domain', {
      domainName: `notes.${config.name}.${config.domain!.zoneName}`,
      hostedZone: zone,
      mappings: [{ basePath: 'v1', api: this.v1 }, { basePath: 'v2', api: this.v2 }],
    });
  }
}
