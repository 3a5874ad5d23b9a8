using System.CommandLine;
using Spectre.Console;
using TattooDirectory.Core.Removal;

namespace TattooDirectory.Features.Removal;

/// <summary>
/// <c>audit-removal &lt;requestId&gt;</c>: scans the configured data directory's store, index and
/// blobs for anything the request removed and prints what it finds. Exit codes: 0 no trace, 1 traces
/// found, 2 no such request.
/// </summary>
internal static class AuditRemovalCommand
{
    public const int NoTrace = 0;
    public const int TracesFound = 1;
    public const int UnknownRequest = 2;

    public static Command Create(IAnsiConsole console)
    {
        var requestId = new Argument<string>("requestId") { Description = "The id of the removal request to audit." };
        var command = new Command("audit-removal", "Look for any trace of a removed identity or image in the store, index and blobs.") { requestId };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, ct) => RunAsync(result.UnmatchedTokens, result.GetRequiredValue(requestId), console, ct));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> hostArgs, string requestId, IAnsiConsole console, CancellationToken cancellationToken)
    {
        await using var app = DirectoryApp.Build([.. hostArgs]);
        var auditor = app.Services.GetRequiredService<RemovalAuditor>();
        RemovalAudit audit;
        try
        {
            audit = await auditor.ScanAsync(requestId, cancellationToken);
        }
        catch (RemovalRequestNotFoundException ex)
        {
            console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return UnknownRequest;
        }
        Print(console, audit);
        return audit.Clean ? NoTrace : TracesFound;
    }

    private static void Print(IAnsiConsole console, RemovalAudit audit)
    {
        console.MarkupLineInterpolated($"Removal request [bold]{audit.RequestId}[/] ({RemovalNames.Of(audit.Type)}, {RemovalNames.Of(audit.Status)})");
        console.MarkupLineInterpolated($"Scanned {audit.Coverage.StoreItems:N0} store items, {audit.Coverage.IndexDocuments:N0} index documents and {audit.Coverage.Blobs:N0} blobs.");
        foreach (var note in audit.Notes) console.MarkupLineInterpolated($"[yellow]Note:[/] {note}");
        if (audit.Clean)
        {
            console.MarkupLine("[green]No trace found.[/]");
            return;
        }
        var table = new Table().AddColumns("Location", "Key", "Matched by");
        foreach (var trace in audit.Traces) table.AddRow(Markup.Escape(trace.Location.ToString()), Markup.Escape(trace.Key), Markup.Escape(trace.MatchedBy));
        console.Write(table);
        console.MarkupLineInterpolated($"[red]{audit.Traces.Count} trace(s) found.[/]");
    }
}
