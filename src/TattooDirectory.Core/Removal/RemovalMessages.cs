using System.Globalization;
using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Core.Removal;

/// <summary>
/// The notifications of a removal request, in one place. Subjects carry the request id and type
/// only: they show up in mail lists and logs. Bodies to the operator carry no personal data
/// either (the admin page shows it to the signed-in operator); the requester's confirmation goes
/// to their own address, given as the <c>email</c> attribute the email subscription delivers to.
/// </summary>
public static class RemovalMessages
{
    public const string EmailAttribute = "email";

    public static string AdminLink(string requestId) => $"/admin/removals/{requestId}";

    public static Notification Submitted(RemovalRequest request) => new(
        $"Removal request {request.RequestId} ({RemovalNames.Of(request.Type)})",
        $"A {RemovalNames.Of(request.Type)} request is waiting for review{(request.MatchedArtistId is null ? " (no listed profile matched what was supplied)" : "")}: {AdminLink(request.RequestId)}",
        new Dictionary<string, string> { ["requestId"] = request.RequestId, ["requestType"] = RemovalNames.Of(request.Type) });

    public static Notification Completed(RemovalRequest request) => ToRequester(request, "completed", request.Type switch
    {
        RemovalRequestType.IncorrectInfo => "We have reviewed the information you reported and corrected the listing where it was wrong.",
        _ when request.Purge?.Target.ImageIds.Count > 0 =>
            string.Create(CultureInfo.InvariantCulture, $"The {request.Purge.Target.ImageIds.Count} image(s) you named have been removed from the directory, its search results and our image storage."),
        _ => "The profile has been removed from the directory, its search results and our image storage, and it will not be listed again.",
    });

    public static Notification Rejected(RemovalRequest request) => ToRequester(request, "not approved",
        "We could not approve your request." + (string.IsNullOrWhiteSpace(request.Note) ? "" : $" Note from our team: {request.Note}"));

    private static Notification ToRequester(RemovalRequest request, string outcome, string text)
    {
        var attributes = new Dictionary<string, string> { ["requestId"] = request.RequestId };
        if (request.Requester is { } requester) attributes[EmailAttribute] = requester.Email;
        return new Notification(
            $"Your removal request {request.RequestId}: {outcome}",
            $"{text}\n\nRequest {request.RequestId} ({RemovalNames.Of(request.Type)}), received {request.CreatedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}.",
            attributes);
    }
}
