using Amazon.CDK;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AwsApigatewayv2Integrations;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace TattooDirectory.Infra;

/// <summary>
/// The API role behind an API Gateway HTTP API rather than a function URL: it gives a throttle in
/// front of the function (10–20 requests/s expected at peak), access logs, the 5xx and request
/// counts the error-rate alarm reads, and a place for a custom domain, for about $1 per million requests.
/// </summary>
internal sealed class PublicApi : Construct
{
    public const int RateLimit = 100;
    public const int BurstLimit = 200;

    public PublicApi(Construct scope, string id, IFunction api)
        : base(scope, id)
    {
        HttpApi = new HttpApi(this, "Http", new HttpApiProps
        {
            Description = "Tattoo Directory: web pages and /v1 API.",
            DefaultIntegration = new HttpLambdaIntegration("App", api, new HttpLambdaIntegrationProps
            {
                PayloadFormatVersion = PayloadFormatVersion.VERSION_2_0,
            }),
            CreateDefaultStage = false,
        });

        AccessLogs = new LogGroup(this, "AccessLogs", new LogGroupProps { Retention = AppFunctions.LogRetention, RemovalPolicy = RemovalPolicy.DESTROY });
        _ = new CfnStage(this, "DefaultStage", new CfnStageProps
        {
            ApiId = HttpApi.ApiId,
            StageName = "$default",
            AutoDeploy = true,
            DefaultRouteSettings = new CfnStage.RouteSettingsProperty { ThrottlingRateLimit = RateLimit, ThrottlingBurstLimit = BurstLimit },
            // Ids, status and timings only: no query strings (searches), no source IPs.
            AccessLogSettings = new CfnStage.AccessLogSettingsProperty
            {
                DestinationArn = AccessLogs.LogGroupArn,
                Format = """{"requestId":"$context.requestId","time":"$context.requestTimeEpoch","method":"$context.httpMethod","route":"$context.routeKey","status":"$context.status","latencyMs":"$context.responseLatency","integrationError":"$context.integrationErrorMessage"}""",
            },
        });
    }

    public HttpApi HttpApi { get; }

    public LogGroup AccessLogs { get; }
}
