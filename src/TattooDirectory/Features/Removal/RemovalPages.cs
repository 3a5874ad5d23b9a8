using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using TattooDirectory.Core.Removal;
using TattooDirectory.Features.Admin;
using TattooDirectory.Features.Web;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Removal;

/// <summary>The addresses of the removal pages and the endpoints their forms post to.</summary>
internal static class RemovalPaths
{
    public const string Form = "/removal";

    /// <summary>Where the public form posts: not the form's own address, which the page endpoint owns for GET and POST.</summary>
    public const string Submit = "/removal/requests";

    public const string Admin = AdminPaths.Removals;

    public static string Received(string requestId) => $"/removal/received/{requestId}";

    public static string Review(string requestId) => $"{Admin}/{Uri.EscapeDataString(requestId)}";

    public static string Decide(string requestId, DecisionKind kind) => $"{Review(requestId)}/{(kind == DecisionKind.Approve ? "approve" : "reject")}";
}

/// <summary>The public form shown again after a post: what was sent, and what is wrong with it per field.</summary>
internal sealed record RemovalFormRetry(RemovalForm Form, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>A decision the review page shows again: the note as typed, and why it did not go through.</summary>
internal sealed record DecisionRetry(DecisionKind Kind, string? Note, string? NoteError, RemovalStatus? AlreadyDecided);

/// <summary>
/// The endpoints behind the HTML forms, as plain form posts that need no script: the public
/// removal form (rate limited, size capped, validated by <see cref="RemovalIntake"/> exactly as
/// the API is) and the operator's approve and reject. Each answers 303 to the next page when it
/// worked, or shows its page again with what went wrong and the status that says so.
/// </summary>
internal static class RemovalPages
{
    /// <summary>The form field of the operator's note.</summary>
    public const string NoteField = "note";

    public static IEndpointRouteBuilder MapRemovalPages(this IEndpointRouteBuilder app)
    {
        // GET /removal is the page itself and costs nothing; only sending the form counts
        // against the same per-client budget as the API's submissions.
        app.MapPost(RemovalPaths.Submit, SubmitAsync)
            .RequireRateLimiting(RateLimits.RemovalRequests)
            .WithBodyLimit(RemovalModule.MaxBodyBytes)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();

        var admin = app.MapGroup(RemovalPaths.Admin)
            .RequireAuthorization(AdminAuth.PagesPolicy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .WithBodyLimit(RemovalModule.MaxBodyBytes)
            .ExcludeFromDescription();
        admin.MapPost("/{requestId}/approve", (string requestId, HttpContext context, RemovalReview review, CancellationToken ct) =>
            DecideAsync(requestId, DecisionKind.Approve, context, review, ct));
        admin.MapPost("/{requestId}/reject", (string requestId, HttpContext context, RemovalReview review, CancellationToken ct) =>
            DecideAsync(requestId, DecisionKind.Reject, context, review, ct));
        return app;
    }

    internal static async Task<IResult> SubmitAsync(HttpContext context, RemovalIntake intake, CancellationToken ct)
    {
        // The framework will not even read a form whose token failed, so that form comes back empty.
        if (!AntiforgeryPassed(context))
        {
            return ShowFormAgain(context, new RemovalForm(), new Dictionary<string, string[]> { [RemovalFormText.FormKey] = [RemovalFormText.ExpiredForm] });
        }
        if (!context.Request.HasFormContentType) return TypedResults.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        var form = ReadForm(await context.Request.ReadFormAsync(ct));
        return await intake.SubmitAsync(form, ct) switch
        {
            IntakeOutcome.Accepted accepted => PageResults.SeeOther(RemovalPaths.Received(accepted.RequestId)),
            IntakeOutcome.Invalid invalid => ShowFormAgain(context, form, invalid.Errors),
            _ => throw new InvalidOperationException("Unknown intake outcome."),
        };
    }

    internal static async Task<IResult> DecideAsync(string requestId, DecisionKind kind, HttpContext context, RemovalReview review, CancellationToken ct)
    {
        // Nothing is decided on a post the operator's own page did not make.
        if (!AntiforgeryPassed(context) || !context.Request.HasFormContentType) return TypedResults.BadRequest();
        var typed = First((await context.Request.ReadFormAsync(ct))[NoteField]);
        var note = RemovalReview.CleanNote(typed);
        if (RemovalReview.NoteError(note) is { } error)
        {
            return ShowReviewAgain(context, requestId, new DecisionRetry(kind, typed, error, null), StatusCodes.Status400BadRequest);
        }
        var decision = await review.DecideAsync(requestId, kind, note, ct);
        return decision.Outcome switch
        {
            DecisionOutcome.NotFound => TypedResults.NotFound(),
            DecisionOutcome.NotPending => ShowReviewAgain(context, requestId, new DecisionRetry(kind, typed, null, decision.Request!.Status), StatusCodes.Status409Conflict),
            _ => PageResults.SeeOther(RemovalPaths.Review(requestId)),
        };
    }

    /// <summary>
    /// The form's fields as the API's body. Image ids come from ticked boxes or one text field
    /// (commas or spaces between them); line breaks count as one character, as the browser's
    /// own length limit counted them.
    /// </summary>
    internal static RemovalForm ReadForm(IFormCollection fields) => new()
    {
        FullName = First(fields[RemovalFormText.FullName]),
        Email = First(fields[RemovalFormText.Email]),
        ArtistId = First(fields[RemovalFormText.ArtistId]),
        InstagramHandle = First(fields[RemovalFormText.InstagramHandle]),
        ProfileUrl = First(fields[RemovalFormText.ProfileUrl]),
        RequestType = First(fields[RemovalFormText.RequestType]),
        ImageIds = [.. fields[RemovalFormText.ImageIds].SelectMany(v => (v ?? "").Split([',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        Details = First(fields[RemovalFormText.Details])?.ReplaceLineEndings("\n"),
        Website = First(fields[RemovalFormText.Website]),
    };

    private static string? First(StringValues values) => values.Count == 0 ? null : values[0];

    // The antiforgery middleware records its verdict for endpoints that bind no form themselves.
    private static bool AntiforgeryPassed(HttpContext context) => context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: true };

    private static IResult ShowFormAgain(HttpContext context, RemovalForm form, IDictionary<string, string[]> errors)
    {
        context.Features.Set(new RemovalFormRetry(form, errors.AsReadOnly()));
        return PageResults.Page(RemovalPaths.Form, StatusCodes.Status400BadRequest);
    }

    private static IResult ShowReviewAgain(HttpContext context, string requestId, DecisionRetry retry, int statusCode)
    {
        context.Features.Set(retry);
        return PageResults.Page(RemovalPaths.Review(requestId), statusCode);
    }
}
