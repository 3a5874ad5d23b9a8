using Amazon.CDK;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.KMS;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace TattooDirectory.Infra;

/// <summary>
/// The single table (architecture.md "Single-table design"), the denylist table and the image
/// store. Everything holding data is retained when the stack is deleted: a takedown must not be
/// undone, nor the directory lost, by a mistaken <c>cdk destroy</c>.
/// </summary>
internal sealed class DataStores : Construct
{
    /// <summary>GSI1 styles by geohash, GSI2 names, GSI3 Instagram handles, GSI4 studios by city and removals by status.</summary>
    public const int IndexCount = 4;

    public DataStores(Construct scope, string id)
        : base(scope, id)
    {
        Key = new Key(this, "Key", new KeyProps
        {
            Description = "Tattoo Directory data at rest: tables, topics.",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        Table = new Table(this, "Table", TableProps(Key, withStream: true));
        for (var i = 1; i <= IndexCount; i++)
        {
            Table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
            {
                IndexName = $"GSI{i}",
                PartitionKey = new Attribute { Name = $"GSI{i}PK", Type = AttributeType.STRING },
                SortKey = new Attribute { Name = $"GSI{i}SK", Type = AttributeType.STRING },
                ProjectionType = ProjectionType.ALL,
            });
        }

        // Keyed hashes of removed identities (product.md §8): its own table, so no bulk job on the
        // directory's data can touch it and its access can be granted apart.
        Denylist = new Table(this, "Denylist", TableProps(Key, withStream: false));
        Images = new ImageHosting(this, "Images");
    }

    public Key Key { get; }

    public Table Table { get; }

    public Table Denylist { get; }

    public ImageHosting Images { get; }

    private static TableProps TableProps(IKey key, bool withStream) => new()
    {
        PartitionKey = new Attribute { Name = "PK", Type = AttributeType.STRING },
        SortKey = new Attribute { Name = "SK", Type = AttributeType.STRING },
        BillingMode = BillingMode.PAY_PER_REQUEST,
        PointInTimeRecovery = true,
        Encryption = TableEncryption.CUSTOMER_MANAGED,
        EncryptionKey = key,
        DeletionProtection = true,
        RemovalPolicy = RemovalPolicy.RETAIN,
        // The search sync needs both images: the new one to index, the old one to know what a REMOVE took away.
        Stream = withStream ? StreamViewType.NEW_AND_OLD_IMAGES : null,
    };
}

/// <summary>
/// Portfolio images: a private bucket that only CloudFront reads (origin access control). Image keys
/// are immutable (a new image gets a new key), so the edge may keep them for a year.
/// </summary>
internal sealed class ImageHosting : Construct
{
    public static readonly Duration ImmutableTtl = Duration.Days(365);

    public ImageHosting(Construct scope, string id)
        : base(scope, id)
    {
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            // S3-managed keys: CloudFront's origin access control reads them without a key policy, and images are public once served.
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        var immutable = new CachePolicy(this, "Immutable", new CachePolicyProps
        {
            Comment = "Immutable image keys: cached for a year, no cookies, headers or query strings in the key.",
            MinTtl = ImmutableTtl,
            DefaultTtl = ImmutableTtl,
            MaxTtl = ImmutableTtl,
            CookieBehavior = CacheCookieBehavior.None(),
            HeaderBehavior = CacheHeaderBehavior.None(),
            QueryStringBehavior = CacheQueryStringBehavior.None(),
            EnableAcceptEncodingBrotli = true,
            EnableAcceptEncodingGzip = true,
        });

        Distribution = new Distribution(this, "Cdn", new DistributionProps
        {
            Comment = "Tattoo Directory images",
            DefaultBehavior = new BehaviorOptions
            {
                Origin = S3BucketOrigin.WithOriginAccessControl(Bucket),
                ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                AllowedMethods = AllowedMethods.ALLOW_GET_HEAD,
                CachePolicy = immutable,
                Compress = true,
            },
            PriceClass = PriceClass.PRICE_CLASS_100,
            HttpVersion = HttpVersion.HTTP2_AND_3,
            MinimumProtocolVersion = SecurityPolicyProtocol.TLS_V1_2_2021,
        });
    }

    public Bucket Bucket { get; }

    public Distribution Distribution { get; }

    public string DistributionDomainName => Distribution.DistributionDomainName;
}
