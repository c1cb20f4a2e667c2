import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { LambdaAuthorizer } from './lambda-authorizer';

/**
 * Who may call a route. Routes default to the API's `defaultAuthorization`, which defaults to IAM:
 * a public route is always written down as `RouteAuthorization.none()`, never an accident.
 *
 * @example
 * api.addRoute({ method: 'GET', path: '/health', handler, authorization: RouteAuthorization.none() });
 * api.addRoute({ method: 'POST', path: '/items', handler, authorization: RouteAuthorization.cognito(['api/items.write']) });
 */
export class RouteAuthorization {
  /** Anyone may call the route (it is still subject to throttling, WAF and resource policies). */
  public static none(): RouteAuthorization {
    return new RouteAuthorization(apigateway.AuthorizationType.NONE, []);
  }

  /**
   * Callers sign requests with AWS Signature Version 4; grant them with `api.grantInvoke(role)`.
   */
  public static iam(): RouteAuthorization {
    return new RouteAuthorization(apigateway.AuthorizationType.IAM, []);
  }

  /**
   * Callers send a token of the API's Cognito user pool (the API's `cognito` prop) in the
   * Authorization header. Without scopes the ID token is accepted; with scopes API Gateway requires an
   * access token carrying at least one of them.
   *
   * @param scopes OAuth scopes as they appear in access tokens, e.g. 'api/items.write'
   */
  public static cognito(scopes: string[] = []): RouteAuthorization {
    return new RouteAuthorization(apigateway.AuthorizationType.COGNITO, [...scopes]);
  }

  /** Callers are admitted by your Lambda authorizer. */
  public static lambda(authorizer: LambdaAuthorizer): RouteAuthorization {
    return new RouteAuthorization(apigateway.AuthorizationType.CUSTOM, [], authorizer);
  }

  /** The API Gateway authorization type: NONE, AWS_IAM, COGNITO_USER_POOLS or CUSTOM. */
  public readonly authorizationType: apigateway.AuthorizationType;
  /** The OAuth scopes of a Cognito route (empty otherwise). */
  public readonly scopes: string[];
  /** The Lambda authorizer of a CUSTOM route. */
  public readonly authorizer?: LambdaAuthorizer;

  private constructor(authorizationType: apigateway.AuthorizationType, scopes: string[], authorizer?: LambdaAuthorizer) {
    this.authorizationType = authorizationType;
    this.scopes = scopes;
    this.authorizer = authorizer;
  }
}
