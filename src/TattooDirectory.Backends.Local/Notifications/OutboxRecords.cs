using TattooDirectory.Core.Notifications;

namespace TattooDirectory.Backends.Local.Notifications;

/// <summary>
/// One delivery a dispatcher owes: <see cref="Message"/> to <see cref="Subscriber"/>, after
/// <see cref="Attempts"/> failed tries.
/// </summary>
public sealed record OutboxMessage(string Id, string Topic, Notification Message, DateTimeOffset PublishedAt, string Subscriber, int Attempts);

/// <summary>A message as the admin pages show it in the local mailbox of its topic.</summary>
public sealed record MailboxMessage(string Id, string Topic, Notification Message, DateTimeOffset PublishedAt);

/// <summary>A delivery that failed on every try and was given up.</summary>
public sealed record DeadLetter(string Id, string Topic, string Subscriber, int Attempts, string LastError, DateTimeOffset DeadAt);

/// <summary>One subscription: <see cref="Subscriber"/> is owed every message published to <see cref="Topic"/>.</summary>
public sealed record TopicSubscription(string Topic, string Subscriber);
