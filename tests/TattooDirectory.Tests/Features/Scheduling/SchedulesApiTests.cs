using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Scheduling;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Scheduling;

public sealed class SchedulesApiTests
{
    private const string Token = "operator-token-for-tests-0123456789";
    private const string Daily = "aggregation-daily";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // AdminRouteTests refuses every credential but the token on every admin route, these included;
    // this checks that a refused switch also changes nothing.
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("Bearer wrong-token-wrong-token", HttpStatusCode.Forbidden)]
    public async Task A_switch_without_the_operator_token_is_refused_and_changes_nothing(string? authorization, HttpStatusCode expected)
    {
        await using var host = await StartAsync(signedIn: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/admin/schedules/{Daily}/disable");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await host.Client.SendAsync(request, Ct);

        Assert.Equal(expected, response.StatusCode);
        var rule = (await host.Service<ScheduleBook>().GetAsync(Daily, Ct))!;
        Assert.True(rule.Enabled);
        Assert.False(rule.SetByOperator);
    }

    [Fact]
    public async Task The_nightly_aggregation_rule_is_listed_with_its_next_run_at_two_in_the_morning_utc()
    {
        await using var host = await StartAsync();

        var list = await host.GetJsonAsync("/v1/admin/schedules");

        Assert.True(list.GetProperty("scheduler").TryGetProperty("state", out _));
        var rule = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(Daily, rule.GetProperty("name").GetString());
        Assert.Equal("cron(0 2 * * ? *)", rule.GetProperty("expression").GetString());
        Assert.Equal("aggregation", rule.GetProperty("target").GetString());
        Assert.True(rule.GetProperty("enabled").GetBoolean());
        Assert.Equal("configuration", rule.GetProperty("enabledBy").GetString());
        Assert.Equal(ScheduleExpression.Parse("cron(0 2 * * ? *)").NextAfter(DateTimeOffset.UtcNow), rule.GetProperty("nextDue").GetDateTimeOffset());
        Assert.False(rule.TryGetProperty("lastFireAt", out _));
    }

    [Fact]
    public async Task An_operator_disables_and_enables_a_rule_and_the_choice_outlives_a_restart()
    {
        using var data = new TempDirectory();
        await using (var host = await StartAsync(data: data))
        {
            var disabled = await PostAsync(host, $"/v1/admin/schedules/{Daily}/disable", HttpStatusCode.OK);
            Assert.False(disabled.GetProperty("enabled").GetBoolean());
            Assert.Equal("operator", disabled.GetProperty("enabledBy").GetString());
            Assert.False(disabled.TryGetProperty("nextDue", out _));
            // A second disable changes nothing and still answers the rule.
            Assert.False((await PostAsync(host, $"/v1/admin/schedules/{Daily}/disable", HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());
        }

        await using (var host = await StartAsync(data: data))
        {
            var rule = Assert.Single((await host.GetJsonAsync("/v1/admin/schedules")).GetProperty("items").EnumerateArray());
            Assert.False(rule.GetProperty("enabled").GetBoolean());
            Assert.Equal("operator", rule.GetProperty("enabledBy").GetString());

            var enabled = await PostAsync(host, $"/v1/admin/schedules/{Daily}/enable", HttpStatusCode.OK);
            Assert.True(enabled.GetProperty("enabled").GetBoolean());
            Assert.Equal(ScheduleExpression.Parse("cron(0 2 * * ? *)").NextAfter(DateTimeOffset.UtcNow), enabled.GetProperty("nextDue").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task An_unknown_rule_is_a_404_naming_the_rules_there_are()
    {
        await using var host = await StartAsync();

        var problem = await PostAsync(host, "/v1/admin/schedules/weekly-report/enable", HttpStatusCode.NotFound);

        Assert.Equal("Schedule not found", problem.GetProperty("title").GetString());
        Assert.Contains(Daily, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_adds_rules_and_switches_the_default_one_off_without_restating_it()
    {
        await using var host = await StartAsync(new Dictionary<string, string>
        {
            [$"Scheduling:Rules:{Daily}:Enabled"] = "false",
            ["Scheduling:Rules:hourly-check:Expression"] = "rate(1 hour)",
            ["Scheduling:Rules:hourly-check:Target"] = "aggregation",
            ["Scheduling:Rules:hourly-check:Input"] = """{"cities":["Leeds"]}""",
        });

        var items = (await host.GetJsonAsync("/v1/admin/schedules")).GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);

        Assert.Equal([Daily, "hourly-check"], items.Keys.Order(StringComparer.Ordinal));
        Assert.False(items[Daily].GetProperty("enabled").GetBoolean());
        Assert.Equal("configuration", items[Daily].GetProperty("enabledBy").GetString());
        Assert.Equal("cron(0 2 * * ? *)", items[Daily].GetProperty("expression").GetString());
        Assert.Equal("rate(1 hour)", items["hourly-check"].GetProperty("expression").GetString());
        Assert.True(items["hourly-check"].GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("Expression=cron(0 2 * * * *)|Target=aggregation", "Scheduling:Rules:broken: cron(0 2 * * * *) is not a valid schedule expression: day-of-month and day-of-week cannot both be given")]
    [InlineData("Expression=rate(1 hours)|Target=aggregation", "the singular unit 'hour'")]
    [InlineData("Target=aggregation", "Scheduling:Rules:broken: Expression is required.")]
    [InlineData("Expression=rate(1 day)", "Scheduling:Rules:broken: '' is not a state machine name")]
    [InlineData("Expression=rate(1 day)|Target=aggregation|Input={not json", "Scheduling:Rules:broken: The input is not JSON")]
    public async Task A_rule_that_could_never_fire_stops_the_start_with_a_message_naming_it(string lines, string expected)
    {
        using var data = new TempDirectory();
        var settings = lines.Split('|').Select(l => l.Split('=', 2)).ToDictionary(p => $"Scheduling:Rules:broken:{p[0]}", p => p[1]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings, data));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    /// <summary>The app with the operator token set; its client sends the token unless <paramref name="signedIn"/> is false.</summary>
    private static async Task<DirectoryHost> StartAsync(Dictionary<string, string>? settings = null, TempDirectory? data = null, bool signedIn = true)
    {
        settings ??= [];
        settings["Admin:Token"] = Token;
        var host = await DirectoryHost.StartAsync(seed: false, settings: settings, data: data);
        if (signedIn) host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return host;
    }

    private static async Task<JsonElement> PostAsync(DirectoryHost host, string url, HttpStatusCode expected)
    {
        using var response = await host.Client.PostAsync(url, null, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"POST {url} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
