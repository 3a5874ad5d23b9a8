using TattooDirectory.Core.Removal;

namespace TattooDirectory.Features.Removal;

/// <summary>A request type as the public form offers it, and as the operator's pages name it.</summary>
internal sealed record RemovalTypeText(RemovalRequestType Type, string Choice, string Hint, string Label)
{
    public string Value => RemovalNames.Of(Type);
}

/// <summary>
/// The words of the removal form: its field names (the API's, so one intake reads both), the
/// request types as a requester would put them, and the intake's validation messages reworded
/// for a person filling in the form rather than a program calling the API.
/// </summary>
internal static class RemovalFormText
{
    public const string FullName = "fullName";
    public const string Email = "email";
    public const string ArtistId = "artistId";
    public const string InstagramHandle = "instagramHandle";
    public const string ProfileUrl = "profileUrl";
    public const string RequestType = "requestType";
    public const string ImageIds = "imageIds";
    public const string Details = "details";

    /// <summary>The honeypot: hidden from people, so only a bot fills it in.</summary>
    public const string Website = "website";

    /// <summary>The key of the one message that stands for "no way to identify the profile was given".</summary>
    public const string ProfileKey = "profile";

    /// <summary>The key of a problem with the form as a whole (its antiforgery token).</summary>
    public const string FormKey = "form";

    public const string ExpiredForm = "Your answers could not be accepted: the form was open too long, or did not come from this site (it also needs cookies). Please fill it in again.";

    public static IReadOnlyList<RemovalTypeText> Types { get; } =
    [
        new(RemovalRequestType.ProfileRemoval, "Remove my whole profile", "Your profile and all its images leave the directory for good, and it will not list you again.", "Profile removal"),
        new(RemovalRequestType.ImageRemoval, "Remove some of my images", "Only the images you choose below are removed; the profile stays.", "Image removal"),
        new(RemovalRequestType.IncorrectInfo, "Correct wrong information", "Tell us what is wrong in the details box and we will fix it.", "Correction"),
        new(RemovalRequestType.Copyright, "Take down an image I hold the copyright to", "Choose the images below, or describe them in the details box.", "Copyright"),
    ];

    public static string Label(RemovalRequestType type) => Types.Single(t => t.Type == type).Label;

    // The order of the fields on the page, so the error summary reads top to bottom.
    private static readonly string[] FieldOrder = [FormKey, FullName, Email, ProfileKey, ArtistId, ProfileUrl, InstagramHandle, RequestType, ImageIds, Details];

    private static readonly string[] IdentityFields = [ArtistId, ProfileUrl, InstagramHandle];

    /// <summary>
    /// One message per field for the form, in page order. When no way to identify the profile was
    /// given the intake flags all three fields; the form says so once, under <see cref="ProfileKey"/>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForPeople(RemovalForm form, IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(errors);
        var noIdentity = IdentityFields.All(errors.ContainsKey) && IdentityFields.All(f => string.IsNullOrWhiteSpace(ValueOf(form, f)));
        var messages = new List<KeyValuePair<string, string>>();
        foreach (var key in FieldOrder)
        {
            if (key == ProfileKey ? noIdentity : errors.ContainsKey(key) && !(noIdentity && IdentityFields.Contains(key)))
            {
                messages.Add(new(key, Message(key, form, errors)));
            }
        }
        // Anything the intake flags that the form has no words for still shows, as the intake put it.
        foreach (var (key, text) in errors)
        {
            if (!FieldOrder.Contains(key) && !IdentityFields.Contains(key)) messages.Add(new(key, string.Join(" ", text)));
        }
        return messages;
    }

    private static string Message(string key, RemovalForm form, IReadOnlyDictionary<string, string[]> errors) => key switch
    {
        FormKey => ExpiredForm,
        FullName => string.IsNullOrWhiteSpace(form.FullName) ? "Enter your full name." : $"Enter your name in {RemovalIntake.MaxFullName} characters or fewer.",
        Email => string.IsNullOrWhiteSpace(form.Email) ? "Enter your email address, so that we can reply." : "Enter an email address in the right form, like name@example.com.",
        ProfileKey => "Tell us which profile: give its artist id, its address on this site or the Instagram handle.",
        ArtistId => "An artist id is “artist-” followed by lowercase letters and digits, as at the end of the profile’s address.",
        ProfileUrl => $"Enter the profile’s full address, starting with https:// ({RemovalIntake.MaxProfileUrl} characters at most).",
        InstagramHandle => "Enter the Instagram handle: up to 30 letters, digits, dots or underscores.",
        RequestType => "Choose what you would like us to do.",
        ImageIds => ImageMessage(form),
        Details => $"Keep the details to {RemovalIntake.MaxDetails:N0} characters or fewer.",
        _ => string.Join(" ", errors[key]),
    };

    private static string ImageMessage(RemovalForm form)
    {
        if (form.ImageIds is not { Count: > 0 }) return "Choose the images to remove.";
        return RemovalNames.TryParseType(form.RequestType, out var type) && type is RemovalRequestType.ProfileRemoval or RemovalRequestType.IncorrectInfo
            ? "Choose images only when you ask for images to be removed or taken down."
            : $"Image ids look like “img-” followed by lowercase letters and digits; give {RemovalIntake.MaxImageIds} at most.";
    }

    private static string? ValueOf(RemovalForm form, string field) => field switch
    {
        ArtistId => form.ArtistId,
        ProfileUrl => form.ProfileUrl,
        _ => form.InstagramHandle,
    };
}
