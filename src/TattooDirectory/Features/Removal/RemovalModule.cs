using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Core.Catalog;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Removal;

/// <summary>Removal requests (product.md §8): the public submission, the operator's admin API and the purge worker.</summary>
public static class RemovalModule
{
    /// <summary>
    /// The submission's size cap. Read by the handler under the cap (a tiny stand-in until the
    /// shared per-endpoint limit lands in Hosting); Kestrel's global cap stays the outer bound.
    /// </summary>
    public const int MaxBodyBytes = 16 * 1024;

    public const int MaxNote = 1_000;

    public static WebApplicationBuilder AddRemoval(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RemovalDesk>();
        builder.Services.AddSingleton<RemovalIntake>();
        builder.Services.AddSingleton<PurgeRunner>();
        builder.Services.AddSingleton<PurgeQueue>();
        builder.Services.AddHostedService<PurgeWorker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRemovalApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/removal-requests", SubmitAsync).WithTags("Removal").WithName("SubmitRemovalRequest")
            .RequireRateLimiting(RateLimits.RemovalRequests)
            .WithSummary("Ask for a profile or images to be removed (reviewed by a person)")
            .Accepts<RemovalForm>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        var admin = app.MapAdminGroup("/removal-requests");
        admin.MapGet("/", ListAsync).WithName("ListRemovalRequests").WithSummary("Removal requests in one status, oldest first (status, limit, cursor)");
        admin.MapGet("/{requestId}", GetAsync).WithName("GetRemovalRequest").WithSummary("One request: what was supplied, the matching profile now, purge progress and audit trail");
        admin.MapPost("/{requestId}/approve", ApproveAsync).WithName("ApproveRemovalRequest").WithSummary("Approve with a note; a removal starts its purge");
        admin.MapPost("/{requestId}/reject", RejectAsync).WithName("RejectRemovalRequest").WithSummary("Reject with a note; the requester is told");
        return app;
    }

    internal static async Task<Results<Accepted<RemovalAcceptedDto>, ValidationProblem, ProblemHttpResult>> SubmitAsync(HttpRequest http, RemovalIntake intake, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync(http, RemovalApiJson.Default.RemovalForm, MaxBodyBytes, allowEmpty: false, ct);
        if (body.TooLarge is { } tooLarge) return tooLarge;
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

    internal static async Task<Results<Ok<RemovalDetailDto>, ProblemHttpResult>> GetAsync(string requestId, RemovalDesk desk, ArtistCatalog catalog, ITable table, CancellationToken ct)
    {
        return await desk.GetAsync(requestId, ct) is { } request ? TypedResults.Ok(await GetDetailAsync(request, catalog, table, ct)) : NotFound(requestId);
    }

    internal static Task<Results<Ok<RemovalDetailDto>, Accepted<RemovalDetailDto>, ValidationProblem, ProblemHttpResult>> ApproveAsync(
        string requestId, HttpRequest http, RemovalDesk desk, PurgeQueue purges, ArtistCatalog catalog, ITable table, CancellationToken ct) =>
        DecideAsync(requestId, http, desk.ApproveAsync, purges, catalog, table, ct);

    internal static Task<Results<Ok<RemovalDetailDto>, Accepted<RemovalDetailDto>, ValidationProblem, ProblemHttpResult>> RejectAsync(
        string requestId, HttpRequest http, RemovalDesk desk, PurgeQueue purges, ArtistCatalog catalog, ITable table, CancellationToken ct) =>
        DecideAsync(requestId, http, desk.RejectAsync, purges, catalog, table, ct);

    private static async Task<Results<Ok<RemovalDetailDto>, Accepted<RemovalDetailDto>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string requestId, HttpRequest http, Func<string, string?, CancellationToken, Task<RemovalDecision>> decide, PurgeQueue purges, ArtistCatalog catalog, ITable table, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync(http, RemovalApiJson.Default.DecisionBody, MaxBodyBytes, allowEmpty: true, ct);
        if (body.TooLarge is { } tooLarge) return tooLarge;
        if (body.Invalid is { } invalid) return invalid;
        var note = string.IsNullOrWhiteSpace(body.Value?.Note) ? null : body.Value.Note.Trim();
        if (note is { Length: > MaxNote }) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [$"note must be at most {MaxNote:N0} characters."] });

        var decision = await decide(requestId, note, ct);
        switch (decision.Outcome)
        {
            case DecisionOutcome.NotFound:
                return NotFound(requestId);
            case DecisionOutcome.NotPending:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The request was already decided",
                    detail: $"Request {requestId} is {RemovalNames.Of(decision.Request!.Status)}, not pending.");
        }
        var request = decision.Request!;
        var detail = await GetDetailAsync(request, catalog, table, ct);
        if (request.Status != RemovalStatus.Approved) return TypedResults.Ok(detail);
        purges.Enqueue(request.RequestId);
        return TypedResults.Accepted($"/v1/admin/removal-requests/{request.RequestId}", detail);
    }

    private static async Task<RemovalDetailDto> GetDetailAsync(RemovalRequest request, ArtistCatalog catalog, ITable table, CancellationToken ct)
    {
        var matchedId = request.MatchedArtistId ?? request.Purge?.Target.ArtistId;
        var matched = matchedId is null ? null : await catalog.GetArtistAsync(matchedId, ct);
        return RemovalDetailDto.From(request, matched, await AuditTrail.ReadAsync(table, request.RequestId, ct));
    }

    private static ProblemHttpResult NotFound(string requestId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Removal request not found",
            detail: RemovalDesk.IsRequestId(requestId) ? $"There is no removal request {requestId}." : "Removal request ids look like 'rem-' followed by 20 letters or digits.");
}
