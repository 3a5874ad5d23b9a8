using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TattooDirectory.Core.Scheduling;
using TattooDirectory.Core.Storage;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Scheduling;

public sealed record ScheduleDto(
    string Name,
    string Expression,
    string Target,
    bool Enabled,
    string EnabledBy,
    DateTimeOffset? NextDue,
    DateTimeOffset? LastFireAt,
    DateTimeOffset? LastOccurrence,
    string? LastExecutionArn,
    string? LastError)
{
    public static ScheduleDto From(ScheduleView view) => new(
        view.Rule.Name, view.Rule.Expression.Text, view.Rule.Target, view.Enabled, view.SetByOperator ? "operator" : "configuration",
        view.NextDue, view.State?.LastFireAt, view.State?.LastOccurrence, view.State?.LastExecutionArn, view.State?.LastError);
}

public sealed record SchedulerDto(SchedulerState State, DateTimeOffset? LastPassAt);

public sealed record ScheduleListDto(SchedulerDto Scheduler, IReadOnlyList<ScheduleDto> Items);

/// <summary>Scheduled rules (EventBridge rules in AWS): the configured rules, the scheduler that fires them, and their admin API.</summary>
public static class SchedulingModule
{
    public static WebApplicationBuilder AddScheduling(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>();
        builder.Services.AddSingleton(sp => new ScheduleBook(
            sp.GetRequiredService<IOptions<SchedulingOptions>>().Value.ToRules(), sp.GetRequiredService<ITable>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<SchedulerStatus>();
        builder.Services.AddHostedService<Scheduler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSchedulingApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapAdminGroup("/schedules");
        admin.MapGet("/", ListAsync).WithName("ListSchedules").WithSummary("Scheduled rules: expression, target, enabled, last fire and next due");
        admin.MapPost("/{name}/enable", EnableAsync).WithName("EnableSchedule").WithSummary("Turn a rule on; it fires from its next occurrence after now, without catching up");
        admin.MapPost("/{name}/disable", DisableAsync).WithName("DisableSchedule").WithSummary("Turn a rule off until it is enabled again");
        return app;
    }

    internal static async Task<Ok<ScheduleListDto>> ListAsync(ScheduleBook book, SchedulerStatus status, CancellationToken ct) =>
        TypedResults.Ok(new ScheduleListDto(new SchedulerDto(status.State, status.LastPassAt), [.. (await book.ListAsync(ct)).Select(ScheduleDto.From)]));

    internal static Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> EnableAsync(string name, ScheduleBook book, CancellationToken ct) =>
        SwitchAsync(name, enabled: true, book, ct);

    internal static Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> DisableAsync(string name, ScheduleBook book, CancellationToken ct) =>
        SwitchAsync(name, enabled: false, book, ct);

    private static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> SwitchAsync(string name, bool enabled, ScheduleBook book, CancellationToken ct) =>
        await book.SetEnabledAsync(name, enabled, ct) is { } view
            ? TypedResults.Ok(ScheduleDto.From(view))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Schedule not found",
                detail: $"No rule is named '{name}'; the rules are {string.Join(", ", book.Rules.Select(r => r.Name))}.");
}
