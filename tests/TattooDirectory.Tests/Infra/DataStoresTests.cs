using Amazon.CDK.Assertions;

namespace TattooDirectory.Tests.Infra;

/// <summary>The single table, the denylist, the image bucket behind CloudFront and the search domain.</summary>
[Collection(InfraCollection.Name)]
public sealed class DataStoresTests(SynthesizedStack stack)
{
    private static Dictionary<string, object> Key(string name, string type) => new() { ["AttributeName"] = name, ["KeyType"] = type };

    [Fact]
    public void The_single_table_is_keyed_by_PK_and_SK_on_demand_with_a_new_and_old_image_stream_recovery_and_the_stack_key()
    {
        stack.Template.HasResource("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["KeySchema"] = new object[] { Key("PK", "HASH"), Key("SK", "RANGE") },
                ["BillingMode"] = "PAY_PER_REQUEST",
                ["StreamSpecification"] = new Dictionary<string, object> { ["StreamViewType"] = "NEW_AND_OLD_IMAGES" },
                ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
                ["SSESpecification"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["SSEEnabled"] = true,
                    ["SSEType"] = "KMS",
                    ["KMSMasterKeyId"] = Match.AnyValue(),
                }),
                ["DeletionProtectionEnabled"] = true,
            }),
        });
    }

    [Fact]
    public void The_single_table_has_GSI1_to_GSI4_on_their_own_key_attributes_with_every_attribute_projected()
    {
        var table = Assert.Single(stack.OfType("AWS::DynamoDB::Table"), t => t.Properties["StreamSpecification"] is not null).Properties;
        var indexes = table["GlobalSecondaryIndexes"]!.AsArray();

        Assert.Equal(["GSI1", "GSI2", "GSI3", "GSI4"], indexes.Select(i => (string)i!["IndexName"]!));
        foreach (var index in indexes)
        {
            var name = (string)index!["IndexName"]!;
            Assert.Equal([name + "PK", name + "SK"], index["KeySchema"]!.AsArray().Select(k => (string)k!["AttributeName"]!));
            Assert.Equal("ALL", (string)index["Projection"]!["ProjectionType"]!);
        }
    }

    [Fact]
    public void The_denylist_is_a_second_retained_encrypted_table_without_a_stream()
    {
        var tables = stack.OfType("AWS::DynamoDB::Table").ToList();
        Assert.Equal(2, tables.Count);
        var denylist = Assert.Single(tables, t => t.Properties["StreamSpecification"] is null);

        Assert.Equal("Retain", (string)stack.Resources[denylist.Id]!["DeletionPolicy"]!);
        Assert.True((bool)denylist.Properties["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!);
        Assert.Equal("KMS", (string)denylist.Properties["SSESpecification"]!["SSEType"]!);
        Assert.Null(denylist.Properties["GlobalSecondaryIndexes"]);
    }

    [Fact]
    public void The_stack_key_rotates()
    {
        stack.Template.HasResourceProperties("AWS::KMS::Key", new Dictionary<string, object> { ["EnableKeyRotation"] = true });
    }

    [Fact]
    public void The_image_bucket_is_private_encrypted_and_refuses_plain_http()
    {
        stack.Template.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["PublicAccessBlockConfiguration"] = new Dictionary<string, object>
            {
                ["BlockPublicAcls"] = true,
                ["BlockPublicPolicy"] = true,
                ["IgnorePublicAcls"] = true,
                ["RestrictPublicBuckets"] = true,
            },
            ["BucketEncryption"] = Match.AnyValue(),
        });
        stack.Template.HasResourceProperties("AWS::S3::BucketPolicy", new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith(new object[]
                {
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["Effect"] = "Deny",
                        ["Condition"] = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
                    }),
                }),
            }),
        });
    }

    [Fact]
    public void CloudFront_reads_the_bucket_through_origin_access_control_over_https_and_caches_images_for_a_year()
    {
        stack.Template.ResourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
        stack.Template.HasResourceProperties("AWS::CloudFront::Distribution", new Dictionary<string, object>
        {
            ["DistributionConfig"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Origins"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["OriginAccessControlId"] = Match.AnyValue() }) },
                ["DefaultCacheBehavior"] = Match.ObjectLike(new Dictionary<string, object> { ["ViewerProtocolPolicy"] = "redirect-to-https" }),
            }),
        });
        const int year = 365 * 24 * 3600;
        stack.Template.HasResourceProperties("AWS::CloudFront::CachePolicy", new Dictionary<string, object>
        {
            ["CachePolicyConfig"] = Match.ObjectLike(new Dictionary<string, object> { ["MinTTL"] = year, ["DefaultTTL"] = year, ["MaxTTL"] = year }),
        });
    }

    [Fact]
    public void The_search_domain_is_in_the_VPC_encrypted_https_only_with_fine_grained_access_mastered_by_a_role()
    {
        stack.Template.HasResourceProperties("AWS::OpenSearchService::Domain", new Dictionary<string, object>
        {
            ["VPCOptions"] = Match.ObjectLike(new Dictionary<string, object> { ["SubnetIds"] = Match.AnyValue(), ["SecurityGroupIds"] = Match.AnyValue() }),
            ["EncryptionAtRestOptions"] = new Dictionary<string, object> { ["Enabled"] = true },
            ["NodeToNodeEncryptionOptions"] = new Dictionary<string, object> { ["Enabled"] = true },
            ["DomainEndpointOptions"] = Match.ObjectLike(new Dictionary<string, object> { ["EnforceHTTPS"] = true }),
            ["AdvancedSecurityOptions"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Enabled"] = true,
                ["InternalUserDatabaseEnabled"] = false,
                ["MasterUserOptions"] = new Dictionary<string, object> { ["MasterUserARN"] = Match.AnyValue() },
            }),
        });
    }

    [Fact]
    public void Only_the_functions_security_group_may_reach_the_domain_and_only_on_443()
    {
        var ingress = Assert.Single(stack.OfType("AWS::EC2::SecurityGroupIngress")).Properties;

        Assert.Equal(443, (int)ingress["FromPort"]!);
        Assert.Equal(443, (int)ingress["ToPort"]!);
        Assert.NotNull(ingress["SourceSecurityGroupId"]);
        Assert.DoesNotContain(stack.OfType("AWS::EC2::SecurityGroup"), g => g.Properties["SecurityGroupIngress"] is not null);
    }
}
