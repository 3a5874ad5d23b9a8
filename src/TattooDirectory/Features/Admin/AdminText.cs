using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using TattooDirectory.Core.Removal;

namespace TattooDirectory.Features.Admin;

/// <summary>How the operator pages write times, statuses and their own links.</summary>
internal static class AdminText
{
    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string StatusLabel(RemovalStatus status) => status switch
    {
        RemovalStatus.Pending => "Pending",
        RemovalStatus.Approved => "Approved, purging",
        RemovalStatus.Completed => "Completed",
        _ => "Rejected",
    };

    /// <summary>The removal queue in a status (pending is the default), optionally from a page's cursor.</summary>
    public static string RemovalList(RemovalStatus status, string? cursor = null)
    {
        var query = new QueryBuilder();
        if (status != RemovalStatus.Pending) query.Add("status", RemovalNames.Of(status));
        if (cursor is not null) query.Add("cursor", cursor);
        return AdminPaths.Removals + query.ToQueryString();
    }
}
