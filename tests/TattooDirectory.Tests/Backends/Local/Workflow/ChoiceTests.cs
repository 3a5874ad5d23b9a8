using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Tests.Backends.Local.Workflow;

/// <summary>Choice rules: every comparison operator, its Path form, the type tests, And/Or/Not, Default and the runtime errors.</summary>
public sealed class ChoiceTests : WorkflowTestBase
{
    private const string Data = """
        {
          "s": "beta", "n": 5, "b": true, "t": "2025-03-01T02:00:00Z", "nil": null, "file": "report-2025.log",
          "other": { "s": "alpha", "n": 5, "t": "2025-03-01T03:00:00Z", "b": false }
        }
        """;

    private static string Choosing(string choices, string? @default = "\"No\"") => $$"""
        {
          "StartAt": "Decide",
          "States": {
            "Decide": { "Type": "Choice", "Choices": {{choices}}{{(@default is null ? "" : $", \"Default\": {@default}")}} },
            "Yes": { "Type": "Pass", "Result": "yes", "End": true },
            "No": { "Type": "Pass", "Result": "no", "End": true }
          }
        }
        """;

    [Theory]
    [InlineData("""{ "Variable": "$.s", "StringEquals": "beta" }""", true)]
    [InlineData("""{ "Variable": "$.s", "StringEquals": "Beta" }""", false)]
    [InlineData("""{ "Variable": "$.s", "StringLessThan": "gamma" }""", true)]
    [InlineData("""{ "Variable": "$.s", "StringGreaterThan": "gamma" }""", false)]
    [InlineData("""{ "Variable": "$.s", "StringLessThanEquals": "beta" }""", true)]
    [InlineData("""{ "Variable": "$.s", "StringGreaterThanEquals": "c" }""", false)]
    [InlineData("""{ "Variable": "$.s", "StringEqualsPath": "$.other.s" }""", false)]
    [InlineData("""{ "Variable": "$.s", "StringGreaterThanPath": "$.other.s" }""", true)]
    [InlineData("""{ "Variable": "$.file", "StringMatches": "report-*.log" }""", true)]
    [InlineData("""{ "Variable": "$.file", "StringMatches": "report-\\*" }""", false)]
    [InlineData("""{ "Variable": "$.n", "NumericEquals": 5 }""", true)]
    [InlineData("""{ "Variable": "$.n", "NumericGreaterThan": 4.5 }""", true)]
    [InlineData("""{ "Variable": "$.n", "NumericGreaterThanEquals": 5 }""", true)]
    [InlineData("""{ "Variable": "$.n", "NumericLessThan": 5 }""", false)]
    [InlineData("""{ "Variable": "$.n", "NumericLessThanEquals": 5.0 }""", true)]
    [InlineData("""{ "Variable": "$.n", "NumericEqualsPath": "$.other.n" }""", true)]
    [InlineData("""{ "Variable": "$.n", "NumericLessThanPath": "$.other.n" }""", false)]
    [InlineData("""{ "Variable": "$.b", "BooleanEquals": true }""", true)]
    [InlineData("""{ "Variable": "$.b", "BooleanEqualsPath": "$.other.b" }""", false)]
    [InlineData("""{ "Variable": "$.t", "TimestampLessThan": "2025-03-01T02:30:00Z" }""", true)]
    [InlineData("""{ "Variable": "$.t", "TimestampEquals": "2025-03-01T03:00:00+01:00" }""", true)]
    [InlineData("""{ "Variable": "$.t", "TimestampGreaterThanEquals": "2025-03-01T02:00:00.001Z" }""", false)]
    [InlineData("""{ "Variable": "$.t", "TimestampLessThanPath": "$.other.t" }""", true)]
    [InlineData("""{ "Variable": "$.nil", "IsNull": true }""", true)]
    [InlineData("""{ "Variable": "$.missing", "IsPresent": false }""", true)]
    [InlineData("""{ "Variable": "$.s", "IsPresent": true }""", true)]
    [InlineData("""{ "Variable": "$.s", "IsNumeric": true }""", false)]
    [InlineData("""{ "Variable": "$.s", "IsString": true }""", true)]
    [InlineData("""{ "Variable": "$.b", "IsBoolean": true }""", true)]
    [InlineData("""{ "Variable": "$.t", "IsTimestamp": true }""", true)]
    [InlineData("""{ "Variable": "$.s", "IsTimestamp": true }""", false)]
    [InlineData("""{ "Variable": "$.s", "NumericEquals": 5 }""", false)]
    [InlineData("""{ "Variable": "$.n", "StringEqualsPath": "$.other.n" }""", false)]
    [InlineData("""{ "And": [ { "Variable": "$.n", "NumericGreaterThanEquals": 5 }, { "Variable": "$.s", "StringEquals": "beta" } ] }""", true)]
    [InlineData("""{ "Or": [ { "Variable": "$.n", "NumericLessThan": 0 }, { "Variable": "$.b", "BooleanEquals": false } ] }""", false)]
    [InlineData("""{ "Not": { "Variable": "$.s", "StringEquals": "beta" } }""", false)]
    [InlineData("""{ "Variable": "$$.Execution.Input.s", "StringEquals": "beta" }""", true)]
    public async Task A_rule_matches_as_the_States_Language_defines_its_operator(string rule, bool matches)
    {
        var ruleWithNext = rule.TrimEnd()[..^1] + ", \"Next\": \"Yes\" }";

        var execution = await RunAsync(Choosing($"[ {ruleWithNext} ]"), Data);

        Assert.Equal(matches ? "\"yes\"" : "\"no\"", execution.Output);
    }

    [Fact]
    public async Task Rules_are_tried_in_order_and_the_first_match_wins()
    {
        var execution = await RunAsync(Choosing("""
            [
              { "Variable": "$.n", "NumericGreaterThan": 100, "Next": "No" },
              { "Variable": "$.n", "NumericEquals": 5, "Next": "Yes" },
              { "Variable": "$.n", "NumericGreaterThan": 0, "Next": "No" }
            ]
            """), Data);

        Assert.Equal("\"yes\"", execution.Output);
    }

    [Fact]
    public async Task Without_a_match_or_a_Default_the_execution_fails_with_States_NoChoiceMatched()
    {
        var execution = await RunAsync(Choosing("""[ { "Variable": "$.n", "NumericEquals": 6, "Next": "Yes" } ]""", @default: null), Data);

        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.NoChoiceMatched), (execution.Status, execution.Error));
    }

    [Theory]
    [InlineData("""{ "Variable": "$.missing", "StringEquals": "x", "Next": "Yes" }""")]
    [InlineData("""{ "Variable": "$.n", "NumericEqualsPath": "$.missing", "Next": "Yes" }""")]
    [InlineData("""{ "Variable": "$.missing", "IsNull": false, "Next": "Yes" }""")]
    public async Task A_path_that_is_not_in_the_input_fails_with_States_Runtime(string rule)
    {
        var execution = await RunAsync(Choosing($"[ {rule} ]"), Data);

        Assert.Equal((ExecutionStatus.Failed, WorkflowErrors.Runtime), (execution.Status, execution.Error));
    }

    [Fact]
    public async Task A_Choice_reads_its_rules_after_InputPath_and_passes_its_input_through_OutputPath()
    {
        var execution = await RunAsync("""
            {
              "StartAt": "Decide",
              "States": {
                "Decide": {
                  "Type": "Choice", "InputPath": "$.other", "OutputPath": "$.s",
                  "Choices": [ { "Variable": "$.s", "StringEquals": "alpha", "Next": "Done" } ]
                },
                "Done": { "Type": "Succeed" }
              }
            }
            """, Data);

        Assert.Equal("\"alpha\"", execution.Output);
    }
}
