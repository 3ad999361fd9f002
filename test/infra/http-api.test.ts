import { describe, expect, it } from 'vitest';
import { routeKey, routes } from '#infra/topology';
import { arnOf, functionsOf, logicalIdOf, ref, resourceOf, synthRedress, type Json } from './synth.ts';

const { stack, template, config } = synthRedress();
const userPoolId = logicalIdOf(stack.supportApi.userPool);
const clientId = logicalIdOf(stack.supportApi.client);

const routeNamed = (key: string): Json => {
  const found = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }));
  expect(found, `route ${key}`).toHaveLength(1);
  return found[0] ?? {};
};
const integrationOf = (route: Json): Json => resourceOf(template, route.Properties.Target['Fn::Join'][1][1].Ref as string);

describe('the HTTP API', () => {
  it('serves exactly the routes the topology declares', () => {
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey as string);
    expect(keys.sort()).toEqual(routes.map(routeKey).sort());
  });

  it('takes platform webhooks on ANY /webhooks/{platform} without an authorizer (handshakes and signatures are checked in the function)', () => {
    const route = routeNamed('ANY /webhooks/{platform}');
    expect(route.Properties.AuthorizationType).toBe('NONE');
    expect(route.Properties.AuthorizerId).toBeUndefined();
    expect(integrationOf(route).Properties.IntegrationUri).toEqual(arnOf(logicalIdOf(functionsOf(stack).webhook)));
  });

  it("lets GET /api/queues/{queue}/tickets through only with a JWT from the agents' user pool and app client", () => {
    const route = routeNamed('GET /api/queues/{queue}/tickets');
    expect(route.Properties.AuthorizationType).toBe('JWT');
    const authorizer = resourceOf(template, route.Properties.AuthorizerId.Ref as string);
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', ref('AWS::Region'), '.amazonaws.com/', ref(userPoolId)]] },
        Audience: [ref(clientId)],
      },
    });
    expect(integrationOf(route).Properties.IntegrationUri).toEqual(arnOf(logicalIdOf(functionsOf(stack).supportApi)));
  });

  it.each(routes.filter((route) => route.function === 'supportApi' && route.auth === 'jwt').map(routeKey))(
    "sends %s to the support function, only with a JWT from the agents' user pool",
    (key) => {
      const route = routeNamed(key);
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(resourceOf(template, route.Properties.AuthorizerId.Ref as string).Properties.JwtConfiguration.Audience).toEqual([ref(clientId)]);
      expect(integrationOf(route).Properties.IntegrationUri).toEqual(arnOf(logicalIdOf(functionsOf(stack).supportApi)));
    },
  );

  it('declares every support route an agent needs: queues, a ticket, and each change to it', () => {
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey as string);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/queues',
        'GET /api/queues/{queue}/tickets',
        'GET /api/tickets/{id}',
        'POST /api/tickets/{id}/claim',
        'POST /api/tickets/{id}/replies',
        'POST /api/tickets/{id}/pending',
        'POST /api/tickets/{id}/resolve',
        'POST /api/tickets/{id}/reopen',
        'GET /api/openapi.json',
      ]),
    );
  });

  it('serves the OpenAPI document without an authorizer, from the support function', () => {
    const route = routeNamed('GET /api/openapi.json');
    expect(route.Properties.AuthorizationType).toBe('NONE');
    expect(route.Properties.AuthorizerId).toBeUndefined();
    expect(integrationOf(route).Properties.IntegrationUri).toEqual(arnOf(logicalIdOf(functionsOf(stack).supportApi)));
  });

  it('tells the support function which bus to announce ticket changes on', () => {
    const fn = resourceOf(template, logicalIdOf(functionsOf(stack).supportApi));
    expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME).toEqual(ref(logicalIdOf(stack.eventBus.bus)));
  });

  it('logs every request on its stage, as JSON lines without bodies, and throttles it', () => {
    const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = stages[0]?.Properties ?? {};
    const logGroup = resourceOf(template, stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string);
    expect(logGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: config.deployment.logRetentionDays } });
    const format = JSON.parse(stage.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(Object.values(format).filter((variable) => /body|header/i.test(variable))).toEqual([]);
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(stage.DefaultRouteSettings.ThrottlingRateLimit);
  });
});

describe("the agents' user pool", () => {
  const pool = resourceOf(template, userPoolId);

  it('requires MFA', () => {
    expect(pool.Properties.MfaConfiguration).toBe('ON');
  });

  it('lets no one sign themselves up: agents are invited by an administrator', () => {
    expect(pool.Properties.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
  });

  it('has one group per configured queue', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties.GroupName)).toEqual(config.queues.map((queue) => queue.name));
    for (const group of groups) expect(group.Properties.UserPoolId).toEqual(ref(userPoolId));
  });

  // Without `disableOAuth`, CDK's defaults switch on the OAuth implicit and code grants with every
  // scope and the placeholder callback https://example.com: once the pool has a domain, tokens
  // could be redirected there.
  it('offers agents no OAuth redirect flow they do not use: no implicit grant, no placeholder callback', () => {
    const client = resourceOf(template, clientId).Properties;
    expect(client.ExplicitAuthFlows).toContain('ALLOW_USER_SRP_AUTH');
    expect(client.AllowedOAuthFlows ?? []).not.toContain('implicit');
    expect(client.CallbackURLs ?? []).not.toContain('https://example.com');
  });

  it('outlives the stack, with the agent accounts in it', () => {
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.UpdateReplacePolicy).toBe('Retain');
  });
});
