import * as path from 'path';
import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  DataAccess, EnvironmentConfig, Integration, OpenApiDocument, RouteAuthorization, RouteHandler, ServerlessApi, ServerlessTable,
} from 'serverless-api-constructs';

export interface BookshopStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** The contract, next to this folder: the single source of routes, schemas and security. */
export const CONTRACT = path.join(__dirname, '..', 'openapi', 'bookshop.yaml');

/**
 * Contract first: the API is imported from `openapi/bookshop.yaml`. Each operationId is bound to a
 * handler; `getHealth` keeps the mock integration the contract declares. API Gateway validates request
 * bodies and parameters against the contract's schemas, and the API serves the contract it was built
 * from at GET /openapi.json.
 */
export class BookshopStack extends Stack {
  public readonly api: ServerlessApi;
  public readonly books: ServerlessTable;

  constructor(scope: Construct, id: string, props: BookshopStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.books = new ServerlessTable(this, 'Books', { partitionKey: { name: 'bookId', type: dynamodb.AttributeType.STRING } });
    const handler = (name: string, ...actions: string[]) => RouteHandler.fromEntry(path.join(__dirname, '..', 'src', `${name}.ts`), {
      memorySize: 256,
      environment: { TABLE_NAME: this.books.table.tableName },
      dataAccess: [DataAccess.tableActions(this.books.table, ...actions)],
    });

    this.api = new ServerlessApi(this, 'BookshopApi', { apiName: `bookshop-${config.name}`, stageName: config.name, stage: config.stage });
    this.api.importOpenApi(OpenApiDocument.fromFile(CONTRACT), {
      integrations: {
        listBooks: Integration.lambda(handler('list-books', 'dynamodb:Scan')),
        createBook: Integration.lambda(handler('create-book', 'dynamodb:PutItem')),
        getBook: Integration.lambda(handler('get-book', 'dynamodb:GetItem')),
      },
    });
    this.api.serveOpenApi({ authorization: RouteAuthorization.none() });
    const plan = this.api.addUsagePlan('Shop', { planName: `bookshop-${config.name}` });
    this.api.addApiKey('ShopKey', { consumerName: 'shop-frontend', plans: [plan] });
    if (config.webAcl) {
      this.api.addWebAcl('WebAcl');
    } else {
      Validations.of(this.api.stage.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: `WAF is on where config.webAcl is (prod); the ${config.name} stage serves the team's testing and keeps its stage throttling and usage plan.`,
      });
    }
  }
}
