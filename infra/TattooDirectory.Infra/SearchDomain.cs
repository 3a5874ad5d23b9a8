using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.OpenSearchService;
using Constructs;

namespace TattooDirectory.Infra;

/// <summary>
/// The search index: an OpenSearch domain reachable only inside the VPC, encrypted at rest and in
/// transit, with fine-grained access control whose master is an IAM role (no master password to
/// keep). The functions that talk to it run in the VPC's private subnets with <see cref="ClientSecurityGroup"/>.
/// </summary>
internal sealed class SearchDomain : Construct
{
    public SearchDomain(Construct scope, string id)
        : base(scope, id)
    {
        // Two AZs for a zone-aware domain; one NAT gateway is enough egress for the two VPC roles
        // (the functions that scrape the web run outside the VPC), and the gateway endpoints keep
        // DynamoDB and S3 traffic off it.
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 1,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "private", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 22 },
            ],
            GatewayEndpoints = new Dictionary<string, IGatewayVpcEndpointOptions>
            {
                ["DynamoDb"] = new GatewayVpcEndpointOptions { Service = GatewayVpcEndpointAwsService.DYNAMODB },
                ["S3"] = new GatewayVpcEndpointOptions { Service = GatewayVpcEndpointAwsService.S3 },
            },
        });

        ClientSecurityGroup = new SecurityGroup(this, "Clients", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Functions that query or write the search index.",
            AllowAllOutbound = true,
        });
        var domainGroup = new SecurityGroup(this, "DomainGroup", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "The OpenSearch domain: HTTPS from the index's clients only.",
            AllowAllOutbound = false,
        });
        domainGroup.AddIngressRule(ClientSecurityGroup, Port.Tcp(443), "HTTPS from the API and the stream sync");

        // The sync owns the index (creates it, writes documents): it is the fine-grained master.
        IndexAdmin = new Role(this, "IndexAdmin", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = "Stream sync: the search domain's fine-grained access master.",
            // What CDK gives the functions whose role it creates: logs, and network interfaces in the VPC.
            ManagedPolicies =
            [
                ManagedPolicy.FromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole"),
                ManagedPolicy.FromAwsManagedPolicyName("service-role/AWSLambdaVPCAccessExecutionRole"),
            ],
        });

        Domain = new Domain(this, "Domain", new DomainProps
        {
            Version = EngineVersion.OPENSEARCH_2_13,
            Vpc = Vpc,
            VpcSubnets = [new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS }],
            SecurityGroups = [domainGroup],
            Capacity = new CapacityConfig
            {
                DataNodes = 2,
                DataNodeInstanceType = "t3.small.search",
                MultiAzWithStandbyEnabled = false,
            },
            ZoneAwareness = new ZoneAwarenessConfig { Enabled = true, AvailabilityZoneCount = 2 },
            Ebs = new EbsOptions { Enabled = true, VolumeSize = 10, VolumeType = EbsDeviceVolumeType.GP3 },
            EncryptionAtRest = new EncryptionAtRestOptions { Enabled = true },
            NodeToNodeEncryption = true,
            EnforceHttps = true,
            TlsSecurityPolicy = TLSSecurityPolicy.TLS_1_2,
            FineGrainedAccessControl = new AdvancedSecurityOptions { MasterUserArn = IndexAdmin.RoleArn },
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
    }

    public Vpc Vpc { get; }

    public SecurityGroup ClientSecurityGroup { get; }

    public Domain Domain { get; }

    /// <summary>The stream sync's execution role, created here because the domain names it as master.</summary>
    public Role IndexAdmin { get; }

    /// <summary>
    /// Searching is GET and POST <c>_search</c>; fine-grained access maps this role to a read-only
    /// OpenSearch role (docs/deploy.md), so POST cannot write.
    /// </summary>
    public void GrantSearch(IGrantable grantee) =>
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = grantee,
            Actions = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"],
            ResourceArns = [Domain.DomainArn + "/*"],
        });
}
