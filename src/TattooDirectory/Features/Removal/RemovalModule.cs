using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TattooDirectory.Core.Removal;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Removal;

/// <summary>
/// Removal requests (product.md §8): the public submission (JSON API and HTML form), the
/// operator's admin API and pages' decisions, the purge worker, and the SLA and retention worker.
/// </summary>
public static class RemovalModule
{
    /// <summary>The size cap of a submission or a decision: a few kilobytes of text at most.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static WebApplicationBuilder AddRemoval(this WebApplicationBuilder builder)
    {
        // The auditor must hash with the denylist's own key (configured or generated), or an
        // audit could find nothing only because it looked for the wrong hashes.
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<Denylist>().Hasher);
        builder.Services.AddSingleton<RemovalDesk>();
        builder.Services.AddSingleton<RemovalIntake>();
        builder.Services.AddSingleton<RemovalReview>();
        builder.Services.AddSingleton<RemovalAuditor>();
        builder.Services.AddSingleton<PurgeRunner>();
        builder.Services.AddSingleton<PurgeQueue>();
        builder.Services.AddHostedService<PurgeWorker>();
        builder.Services.AddSingleton<RemovalSla>();
        builder.Services.AddSingleton<ContactRetention>();
        builder.Services.AddSingleton<RemovalOpsStatus>();
        builder.Services.AddHostedService<RemovalOpsWorker>();
        builder.Services.AddHostedService<RemovalGauges>();
        // Tagged "ops", not "ready": /health feeds the public status page, and this is an
        // operator's concern (the admin dashboard asks for it by name).
        builder.Services.AddHealthChecks().AddCheck<RemovalOpsHealthCheck>(RemovalOpsHealthCheck.Name, tags: ["ops"]);
        return builder;
    }

    public static IEndpointRouteBuilder MapRemoval(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/removal-requests", SubmitAsync).WithTags("Removal").WithName("SubmitRemovalRequest")
            .RequireRateLimiting(RateLimits.RemovalRequests)
            .WithBodyLimit(MaxBodyBytes)
            .WithSummary("Ask for a profile or images to be removed (reviewed by a person)")
            .Accepts<RemovalForm>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        var admin = app.MapAdminGroup("/removal-requests");
        admin.MapGet("/", ListAsync).WithName("ListRemovalRequests").WithSummary("Removal requests in one status, oldest first (status, limit, cursor)");
        admin.MapGet("/{requestId}", GetAsync).WithName("GetRemovalRequest").WithSummary("One request: what was supplied, the matching profile now, purge progress and audit trail");
        admin.MapGet("/{requestId}/audit", AuditAsync).WithName("AuditRemovalRequest")
            .WithSummary("Scan the store, index and blobs for any trace of what the request removed (the in-process audit-removal)");
        admin.MapPost("/{requestId}/approve", ApproveAsync).WithName("ApproveRemovalRequest").WithSummary("Approve with a note; a removal starts its purge").WithBodyLimit(MaxBodyBytes);
        admin.MapPost("/{requestId}/reject", RejectAsync).WithName("RejectRemovalRequest").WithSummary("Reject with a note; the requester is told").WithBodyLimit(MaxBodyBytes);

        app.MapRemovalPages();
        return app;
    }

    internal static async Task<Results<Accepted<RemovalAcceptedDto>, ValidationProblem>> SubmitAsync(HttpRequest http, RemovalIntake intake, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync(http, RemovalApiJson.Default.RemovalForm, allowEmpty: false, ct);
        if (body.Invalid is { } invalid) return invalid;
        return await intake.SubmitAsync(body.Value!, ct) switch
        {
            IntakeOutcome.Accepted accepted => TypedResults.Accepted((string?)null, new RemovalAcceptedDto(accepted.RequestId, RemovalNames.Of(RemovalStatus.Pending))),
            IntakeOutcome.Invalid failed => TypedResults.ValidationProblem(failed.Errors, title: "The removal request is not valid"),
            _ => throw new InvalidOperationException("Unknown intake outcome."),
        };
    }

    internal static async Task<Results<Ok<RemovalListDto>, ValidationProblem>> ListAsync(HttpRequest http, RemovalDesk desk, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var statusName = QueryParameters.Single(http.Query, "status", errors) ?? RemovalNames.Of(RemovalStatus.Pending);
        if (!RemovalNames.TryParseStatus(statusName, out var status)) errors["status"] = [$"status must be one of {string.Join(", ", RemovalNames.Statuses)}."];
        var limit = QueryParameters.Integer(http.Query, "limit", 1, 100, errors) ?? 50;
        var cursor = QueryParameters.Single(http.Query, "cursor", errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        try
        {
            var page = await desk.ListAsync(status, limit, cursor, ct);
            return TypedResults.Ok(new RemovalListDto([.. page.Items.Select(RemovalSummaryDto.From)], page.NextCursor));
        }
        catch (ArgumentException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["cursor is not one this list issued."] });
        }
    }

    internal static async Task<Results<Ok<RemovalDetailDto>, ProblemHttpResult>> GetAsync(string requestId, RemovalReview review, CancellationToken ct) =>
        await review.GetAsync(requestId, ct) is { } found ? TypedResults.Ok(RemovalDetailDto.From(found)) : NotFound(requestId);

    internal static async Task<Results<Ok<RemovalAuditDto>, ProblemHttpResult>> AuditAsync(string requestId, RemovalAuditor auditor, CancellationToken ct)
    {
        if (!RemovalDesk.IsRequestId(requestId)) return NotFound(requestId);
        try
        {
            return TypedResults.Ok(RemovalAuditDto.From(await auditor.ScanAsync(requestId, ct)));
        }
        catch (RemovalRequestNotFoundException)
        {
            return NotFound(requestId);
        }
    }

    internal static Task<Results<Ok<RemovalDetailDto>, Accepted<RemovalDetailDto>, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        string requestId, HttpRequest http, RemovalReview review, CancellationToken ct) =>
        DecideAsync(requestId, http, DecisionKind.Approve, review, ct);

    internal static Task<Results<Ok<RemovalDetailDto>, Accepted<RemovalDetailDto>, ValidationProblem, ProblemHttpResult>> RejectAsync(
        string requestId, HttpRequest http, RemovalReview review, CancellationToken ct) =>
        DecideAsync(requestId, http, DecisionKind.Reject, review, ct);

    private static async Task<Results<Ok<RemovalDetailDto>, Accepted<RemovalDetailDto>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string requestId, HttpRequest http, DecisionKind kind, RemovalReview review, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync(http, RemovalApiJson.Default.DecisionBody, allowEmpty: true, ct);
        if (body.Invalid is { } invalid) return invalid;
        var note = RemovalReview.CleanNote(body.Value?.Note);
        if (RemovalReview.NoteError(note) is { } noteError) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [noteError] });

        var decision = await review.DecideAsync(requestId, kind, note, ct);
        switch (decision.Outcome)
        {
            case DecisionOutcome.NotFound:
                return NotFound(requestId);
            case DecisionOutcome.NotPending:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The request was already decided",
                    detail: $"Request {requestId} is {RemovalNames.Of(decision.Request!.Status)}, not pending.");
        }
        var request = decision.Request!;
        var detail = RemovalDetailDto.From(await review.CaseOfAsync(request, ct));
        return request.Status == RemovalStatus.Approved
            ? TypedResults.Accepted($"/v1/admin/removal-requests/{request.RequestId}", detail)
            : TypedResults.Ok(detail);
    }

    private static ProblemHttpResult NotFound(string requestId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Removal request not found",
            detail: RemovalDesk.IsRequestId(requestId) ? $"There is no removal request {requestId}." : "Removal request ids look like 'rem-' followed by 20 letters or digits.");
}
