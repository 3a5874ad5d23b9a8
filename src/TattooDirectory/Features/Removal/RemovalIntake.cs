using System.Net.Mail;
using System.Text.RegularExpressions;
using TattooDirectory.Core.Domain;
using TattooDirectory.Core.Removal;

namespace TattooDirectory.Features.Removal;

/// <summary>
/// What the public sends (the JSON body of <c>POST /v1/removal-requests</c> and the fields of the
/// /removal form). <see cref="Website"/> is the honeypot: hidden from people, filled by bots.
/// </summary>
public sealed record RemovalForm
{
    public string? FullName { get; init; }
    public string? Email { get; init; }
    public string? InstagramHandle { get; init; }
    public string? ArtistId { get; init; }
    public string? ProfileUrl { get; init; }
    public string? RequestType { get; init; }
    public IReadOnlyList<string>? ImageIds { get; init; }
    public string? Details { get; init; }
    public string? Website { get; init; }
}

public abstract record IntakeOutcome
{
    private IntakeOutcome() { }

    /// <summary>Taken in (or, for a bot, made to look so): the id to show the requester.</summary>
    public sealed record Accepted(string RequestId) : IntakeOutcome;

    public sealed record Invalid(IDictionary<string, string[]> Errors) : IntakeOutcome;
}

/// <summary>
/// The one way a removal request comes in, whether through the API or the HTML form: the
/// honeypot, validation of every field (product.md §4), then the desk.
/// </summary>
public sealed partial class RemovalIntake(RemovalDesk desk, ILogger<RemovalIntake> logger)
{
    public const int MaxFullName = 100;
    public const int MaxEmail = 254;
    public const int MaxProfileUrl = 300;
    public const int MaxDetails = 2_000;
    public const int MaxImageIds = 50;

    [GeneratedRegex("^@?[A-Za-z0-9._]{1,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex InstagramHandle();

    public async Task<IntakeOutcome> SubmitAsync(RemovalForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!string.IsNullOrEmpty(form.Website))
        {
            // Answered exactly like a real submission, so the bot learns nothing; nothing is kept.
            LogHoneypot(logger);
            return new IntakeOutcome.Accepted(RemovalDesk.NewRequestId());
        }
        var (submission, errors) = Validate(form);
        if (submission is null) return new IntakeOutcome.Invalid(errors);
        var request = await desk.SubmitAsync(submission, cancellationToken);
        LogSubmitted(logger, request.RequestId, RemovalNames.Of(request.Type), request.MatchedArtistId is not null);
        return new IntakeOutcome.Accepted(request.RequestId);
    }

    /// <summary>The submission the form describes, or the errors per field.</summary>
    public static (RemovalSubmission? Submission, Dictionary<string, string[]> Errors) Validate(RemovalForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        var fullName = form.FullName?.Trim();
        if (string.IsNullOrEmpty(fullName)) Fail("fullName", "fullName is required.");
        else if (fullName.Length > MaxFullName || fullName.Any(char.IsControl)) Fail("fullName", $"fullName must be at most {MaxFullName} characters of text.");

        var email = form.Email?.Trim();
        if (string.IsNullOrEmpty(email)) Fail("email", "email is required.");
        else if (email.Length > MaxEmail || !IsEmail(email)) Fail("email", $"email must be a valid address of at most {MaxEmail} characters.");

        var handle = Blank(form.InstagramHandle);
        var artistId = Blank(form.ArtistId);
        var profileUrl = Blank(form.ProfileUrl);
        if (handle is null && artistId is null && profileUrl is null)
        {
            const string which = "Give the profile: its artistId, its profileUrl or its instagramHandle.";
            Fail("artistId", which);
            Fail("profileUrl", which);
            Fail("instagramHandle", which);
        }
        if (handle is not null && !InstagramHandle().IsMatch(handle)) Fail("instagramHandle", "instagramHandle must be an Instagram username: up to 30 letters, digits, '.' or '_'.");
        if (artistId is not null && !Identifiers.IsArtistId(artistId)) Fail("artistId", "artistId must look like 'artist-' followed by 4–40 lowercase letters or digits.");
        if (profileUrl is not null && !IsWebUrl(profileUrl)) Fail("profileUrl", $"profileUrl must be an absolute http(s) URL of at most {MaxProfileUrl} characters.");

        var typeKnown = RemovalNames.TryParseType(form.RequestType, out var type);
        if (!typeKnown) Fail("requestType", $"requestType is required: one of {string.Join(", ", RemovalNames.Types)}.");

        IReadOnlyList<string> imageIds = form.ImageIds is null ? [] : [.. form.ImageIds.Distinct(StringComparer.Ordinal)];
        if (imageIds.Any(id => id is null || !Identifiers.ImageId().IsMatch(id)) || imageIds.Count > MaxImageIds)
        {
            Fail("imageIds", $"imageIds must be 1–{MaxImageIds} image ids like 'img-' followed by 4–40 lowercase letters or digits.");
        }
        else if (typeKnown && type == RemovalRequestType.ImageRemoval && imageIds.Count == 0)
        {
            Fail("imageIds", "imageIds is required for image-removal: name the images to remove.");
        }
        else if (typeKnown && imageIds.Count > 0 && type is RemovalRequestType.ProfileRemoval or RemovalRequestType.IncorrectInfo)
        {
            Fail("imageIds", "imageIds are only for image-removal and copyright requests.");
        }

        var details = Blank(form.Details);
        if (details is { Length: > MaxDetails }) Fail("details", $"details must be at most {MaxDetails:N0} characters.");

        if (errors.Count > 0) return (null, errors);
        return (new RemovalSubmission(type, new RequesterContact(fullName!, email!, details), new RemovalSubject(artistId, handle, profileUrl, imageIds)), errors);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && address.Host.Contains('.', StringComparison.Ordinal) && !value.Any(char.IsWhiteSpace);

    private static bool IsWebUrl(string value) =>
        value.Length <= MaxProfileUrl && Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && !string.IsNullOrEmpty(uri.Host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removal request {RequestId} submitted ({RequestType}, matched a profile: {Matched})")]
    private static partial void LogSubmitted(ILogger logger, string requestId, string requestType, bool matched);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removal form honeypot filled: answered as accepted, nothing stored")]
    private static partial void LogHoneypot(ILogger logger);
}
