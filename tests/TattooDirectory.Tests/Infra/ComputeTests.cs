using Amazon.CDK.Assertions;
using TattooDirectory.Infra;
using static TattooDirectory.Infra.DeploymentNames;

namespace TattooDirectory.Tests.Infra;

/// <summary>A function per role of the one app image, the workers' container, the event sources that drive them, the HTTP API and the logs.</summary>
[Collection(InfraCollection.Name)]
public sealed class ComputeTests(SynthesizedStack stack)
{
    [Fact]
    public void Each_role_and_each_workflow_task_has_one_function_all_from_the_app_image_at_the_deployed_tag()
    {
        var functions = stack.OfType("AWS::Lambda::Function").ToList();

        Assert.Equal(3 + SynthesizedStack.WorkflowTasks.Length, functions.Count);
        _ = stack.FunctionId(ApiRole);
        _ = stack.FunctionId(StreamSyncRole);
        _ = stack.FunctionId(ScrapeRole);
        Assert.All(SynthesizedStack.WorkflowTasks, task => stack.FunctionId(WorkflowTaskRole, task));
        Assert.All(functions, f =>
        {
            Assert.Equal("Image", (string)f.Properties["PackageType"]!);
            Assert.Contains("AppImageTag", f.Properties["Code"]!["ImageUri"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal("Aws", SynthesizedStack.Variable(f.Properties, "Backend"));
            Assert.Equal("emf", SynthesizedStack.Variable(f.Properties, "Telemetry__Exporters__0"));
        });
        stack.Template.HasParameter("AppImageTag", new Dictionary<string, object> { ["Type"] = "String" });
    }

    [Fact]
    public void Only_the_api_and_the_stream_sync_run_in_the_VPC_the_roles_that_fetch_the_web_do_not()
    {
        var inVpc = stack.OfType("AWS::Lambda::Function").Where(f => f.Properties["VpcConfig"] is not null).Select(f => f.Id).Order(StringComparer.Ordinal);

        Assert.Equal(new[] { stack.FunctionId(ApiRole), stack.FunctionId(StreamSyncRole) }.Order(StringComparer.Ordinal), inVpc);
    }

    [Fact]
    public void The_stream_sync_reads_the_table_stream_with_bisect_bounded_retries_and_age_a_failure_queue_and_partial_batch_responses()
    {
        var table = Assert.Single(stack.OfType("AWS::DynamoDB::Table"), t => t.Properties["StreamSpecification"] is not null).Id;
        var failures = Assert.Single(stack.OfType("AWS::SQS::Queue"), q => q.Id.Contains("SyncFailures", StringComparison.Ordinal)).Id;

        stack.Template.HasResourceProperties("AWS::Lambda::EventSourceMapping", new Dictionary<string, object>
        {
            ["FunctionName"] = new Dictionary<string, object> { ["Ref"] = stack.FunctionId(StreamSyncRole) },
            ["EventSourceArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { table, "StreamArn" } },
            ["StartingPosition"] = "TRIM_HORIZON",
            ["BisectBatchOnFunctionError"] = true,
            ["MaximumRetryAttempts"] = 3,
            ["MaximumRecordAgeInSeconds"] = Match.AnyValue(),
            ["FunctionResponseTypes"] = new object[] { "ReportBatchItemFailures" },
            ["DestinationConfig"] = new Dictionary<string, object>
            {
                ["OnFailure"] = new Dictionary<string, object> { ["Destination"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { failures, "Arn" } } },
            },
            // No filter: REMOVE events reach the sync, and with them the takedowns.
            ["FilterCriteria"] = Match.Absent(),
        });
    }

    [Fact]
    public void The_stream_mapping_gives_up_on_a_record_well_before_the_stream_forgets_it()
    {
        var mapping = Assert.Single(stack.OfType("AWS::Lambda::EventSourceMapping"), m => m.Properties["StartingPosition"] is not null).Properties;
        var age = (int)mapping["MaximumRecordAgeInSeconds"]!;

        Assert.InRange(age, 60, 24 * 3600 / 2);
    }

    [Fact]
    public void The_scrape_workers_consume_the_scrape_queue_with_partial_batch_responses_and_a_concurrency_cap()
    {
        var queue = Assert.Single(stack.OfType("AWS::SQS::Queue"), q => q.Properties["RedrivePolicy"] is not null).Id;

        stack.Template.HasResourceProperties("AWS::Lambda::EventSourceMapping", new Dictionary<string, object>
        {
            ["FunctionName"] = new Dictionary<string, object> { ["Ref"] = stack.FunctionId(ScrapeRole) },
            ["EventSourceArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { queue, "Arn" } },
            ["FunctionResponseTypes"] = new object[] { "ReportBatchItemFailures" },
            ["ScalingConfig"] = new Dictionary<string, object> { ["MaximumConcurrency"] = AppFunctions.ScrapeConcurrency },
        });
    }

    [Fact]
    public void A_scrape_worker_stops_before_its_job_becomes_visible_to_another()
    {
        var scrape = stack.Resources[stack.FunctionId(ScrapeRole)]!["Properties"]!;
        var queue = Assert.Single(stack.OfType("AWS::SQS::Queue"), q => q.Properties["RedrivePolicy"] is not null).Properties;

        Assert.True((int)scrape["Timeout"]! < (int)queue["VisibilityTimeout"]!);
    }

    [Fact]
    public void The_HTTP_API_sends_every_route_to_the_api_function_throttled_and_access_logged()
    {
        stack.Template.HasResourceProperties("AWS::ApiGatewayV2::Route", new Dictionary<string, object> { ["RouteKey"] = "$default" });
        stack.Template.HasResourceProperties("AWS::ApiGatewayV2::Integration", new Dictionary<string, object>
        {
            ["IntegrationType"] = "AWS_PROXY",
            ["IntegrationUri"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { stack.FunctionId(ApiRole), "Arn" } },
            ["PayloadFormatVersion"] = "2.0",
        });
        stack.Template.HasResourceProperties("AWS::ApiGatewayV2::Stage", new Dictionary<string, object>
        {
            ["StageName"] = "$default",
            ["DefaultRouteSettings"] = Match.ObjectLike(new Dictionary<string, object> { ["ThrottlingRateLimit"] = Match.AnyValue(), ["ThrottlingBurstLimit"] = Match.AnyValue() }),
            ["AccessLogSettings"] = Match.ObjectLike(new Dictionary<string, object> { ["DestinationArn"] = Match.AnyValue() }),
        });
    }

    [Fact]
    public void The_workers_run_as_one_always_on_container_of_the_app_image_never_two_at_once_next_to_the_index()
    {
        var service = Assert.Single(stack.OfType("AWS::ECS::Service")).Properties;
        var deployment = service["DeploymentConfiguration"]!;
        var network = service["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        var container = stack.WorkersContainer;
        var environment = FunctionEnvironment.Of(stack, stack.Processes().Single(p => p.Id == SynthesizedStack.WorkersProcess).Variables);

        Assert.Equal(("FARGATE", 1), ((string)service["LaunchType"]!, (int)service["DesiredCount"]!));
        Assert.Equal((0, 100), ((int)deployment["MinimumHealthyPercent"]!, (int)deployment["MaximumPercent"]!));
        Assert.True((bool)deployment["DeploymentCircuitBreaker"]!["Rollback"]!);
        Assert.Equal("DISABLED", (string)network["AssignPublicIp"]!);
        Assert.All(network["Subnets"]!.AsArray(), subnet => Assert.Contains("privateSubnet", (string)subnet!["Ref"]!, StringComparison.Ordinal));
        var clients = Assert.Single(stack.OfType("AWS::EC2::SecurityGroup"), g => (string?)g.Properties["GroupDescription"] == "Functions that query or write the search index.").Id;
        Assert.Equal(clients, (string)Assert.Single(network["SecurityGroups"]!.AsArray())!["Fn::GetAtt"]![0]!);
        Assert.Contains("AppImageTag", container["Image"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("tattoo-directory", container["Image"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("awslogs", (string)container["LogConfiguration"]!["LogDriver"]!);
        Assert.Equal((WorkersRole, "Aws", "false"), (environment[RoleSetting], environment["Backend"], environment[WorkersService.AlarmsEnabledSetting]));
        Assert.StartsWith("https://vpc-", environment["Aws__OpenSearch__Endpoint"], StringComparison.Ordinal);
        Assert.Contains("/stream/", environment[WorkersService.StreamArnSetting], StringComparison.Ordinal);
    }

    [Fact]
    public void The_workers_may_purge_everywhere_and_read_the_stream_they_wake_on_but_not_send_to_the_queue()
    {
        var actions = stack.StatementsOfRole(stack.WorkersRoleId).SelectMany(SynthesizedStack.Actions).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
        {
            "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:DescribeStream", "dynamodb:GetRecords",
            "s3:DeleteObject*", "cloudfront:CreateInvalidation", "es:ESHttpGet", "sns:Publish", "sqs:GetQueueAttributes",
        }, actions);
        Assert.DoesNotContain("sqs:SendMessage", actions);
        Assert.DoesNotContain("sqs:ReceiveMessage", actions);
        Assert.DoesNotContain("s3:PutObject", actions);
        Assert.DoesNotContain("es:ESHttpPut", actions);
    }

    [Fact]
    public void Every_log_group_has_a_retention_and_every_function_logs_to_its_own()
    {
        var groups = stack.OfType("AWS::Logs::LogGroup").ToList();
        var functions = stack.OfType("AWS::Lambda::Function").ToList();

        Assert.All(groups, g => Assert.Equal(30, (int)g.Properties["RetentionInDays"]!));
        var used = functions.Select(f => (string)f.Properties["LoggingConfig"]!["LogGroup"]!["Ref"]!).ToList();
        Assert.Equal(functions.Count, used.Distinct(StringComparer.Ordinal).Count());
        Assert.All(used, id => Assert.Contains(groups, g => g.Id == id));
        var workers = (string)stack.WorkersContainer["LogConfiguration"]!["Options"]!["awslogs-group"]!["Ref"]!;
        Assert.DoesNotContain(workers, used);
        Assert.Contains(groups, g => g.Id == workers);
    }
}
