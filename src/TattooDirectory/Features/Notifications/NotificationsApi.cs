using Microsoft.AspNetCore.Http.HttpResults;
using TattooDirectory.Backends.Local.Notifications;
using TattooDirectory.Core.Notifications;
using TattooDirectory.Hosting;

namespace TattooDirectory.Features.Notifications;

public sealed record MailboxMessageDto(string Id, string Topic, string Subject, string Body, IReadOnlyDictionary<string, string>? Attributes, DateTimeOffset PublishedAt);

public sealed record MailboxDto(IReadOnlyList<MailboxMessageDto> Items);

public sealed record DeadLetterDto(string Id, string Topic, string Subscriber, int Attempts, string LastError, DateTimeOffset DeadAt);

public sealed record DeadLettersDto(IReadOnlyList<DeadLetterDto> Items);

/// <summary>The operator's view of the Local topic: the mailbox of every topic and the dead letters.</summary>
public static class NotificationsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        // Only the Local topic keeps a mailbox and dead letters; on SNS they are the subscriptions' own.
        if (!app.ServiceProvider.GetRequiredService<IServiceProviderIsService>().IsService(typeof(SqliteTopic))) return app;
        var group = app.MapAdminGroup("/notifications");
        group.MapGet("/mailbox", GetMailboxAsync).WithName("GetNotificationMailbox")
            .WithSummary("Messages published to a topic (or to all topics), newest first");
        group.MapGet("/dead-letters", GetDeadLettersAsync).WithName("GetNotificationDeadLetters")
            .WithSummary("Deliveries given up after their last try, newest first");
        return app;
    }

    internal static async Task<Results<Ok<MailboxDto>, ValidationProblem>> GetMailboxAsync(HttpRequest http, SqliteTopic topic, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = QueryParameters.Single(http.Query, "topic", errors);
        var limit = QueryParameters.Integer(http.Query, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        if (name is not null && !Topics.IsKnown(name))
        {
            errors["topic"] = [$"topic must be one of: {string.Join(", ", Topics.All)}."];
        }

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The parameters are not valid");

        var messages = new List<MailboxMessage>();
        foreach (var each in name is null ? Topics.All : [name])
        {
            messages.AddRange(await topic.MailboxAsync(each, limit, ct));
        }

        // Ids are time-ordered (UUIDv7), so they break ties between messages of the same instant.
        var newest = messages.OrderByDescending(m => m.PublishedAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).Take(limit);
        return TypedResults.Ok(new MailboxDto([.. newest.Select(m =>
            new MailboxMessageDto(m.Id, m.Topic, m.Message.Subject, m.Message.Body, m.Message.Attributes, m.PublishedAt))]));
    }

    internal static async Task<Results<Ok<DeadLettersDto>, ValidationProblem>> GetDeadLettersAsync(HttpRequest http, SqliteTopic topic, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var limit = QueryParameters.Integer(http.Query, "limit", 1, MaxLimit, errors) ?? DefaultLimit;
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The parameters are not valid");

        var letters = await topic.DeadLettersAsync(limit, ct);
        return TypedResults.Ok(new DeadLettersDto([.. letters.Select(l => new DeadLetterDto(l.Id, l.Topic, l.Subscriber, l.Attempts, l.LastError, l.DeadAt))]));
    }
}
