using Amazon.DynamoDBv2.Model;

namespace TattooDirectory.Backends.Aws.DynamoDb;

/// <summary>
/// Collects the attribute names and values an expression uses, as placeholders: DynamoDB
/// rejects a request that declares a name or value its expressions never use.
/// </summary>
internal sealed class Expression
{
    public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, AttributeValue> Values { get; } = new(StringComparer.Ordinal);

    public string Name(string attribute)
    {
        var placeholder = "#" + attribute;
        Names[placeholder] = attribute;
        return placeholder;
    }

    public string Value(AttributeValue value)
    {
        var placeholder = $":v{Values.Count}";
        Values[placeholder] = value;
        return placeholder;
    }

    public string Text(string value) => Value(new AttributeValue { S = value });

    public string Number(long value) => Value(new AttributeValue { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
