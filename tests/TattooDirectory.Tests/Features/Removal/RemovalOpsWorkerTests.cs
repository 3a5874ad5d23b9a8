using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Removal;
using TattooDirectory.Core.Storage;
using TattooDirectory.Features.Removal;
using TattooDirectory.Tests.Support;
using static TattooDirectory.Tests.Core.Removal.TestRemovals;

namespace TattooDirectory.Tests.Features.Removal;

public sealed class RemovalOpsWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_its_minute_tick_the_app_raises_a_due_sla_warning_and_deletes_expired_contact_data()
    {
        // Friday 09:00; neither request is due yet, both are one minute later.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        await using var host = await DirectoryHost.StartAsync(seed: false, configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var table = host.Service<ITable>();
        var now = time.GetUtcNow();
        await PlantAsync(table, Request("rq-waiting1", RemovalStatus.Pending, new DateTimeOffset(2026, 11, 24, 9, 0, 30, TimeSpan.Zero)));
        await PlantAsync(table, Request("rq-closed1", RemovalStatus.Rejected, now.AddDays(-40)) with { ClosedAt = now - ContactRetention.RetainFor + TimeSpan.FromSeconds(30) });

        time.Advance(RemovalOpsWorker.Interval);

        await UntilAsync(async () => (await ReadAsync(table, "rq-waiting1")).SlaAlertLevel == 1 && (await ReadAsync(table, "rq-closed1")).Requester is null);
        Assert.Equal(["sla-warning"], (await AuditAsync(table, "rq-waiting1")).Select(e => e.Event));
        Assert.Equal(["contact-deleted"], (await AuditAsync(table, "rq-closed1")).Select(e => e.Event));
        var health = await host.Service<HealthCheckService>().CheckHealthAsync(c => c.Name == RemovalOpsHealthCheck.Name, Ct);
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    /// <summary>Re-checks until the worker's effect shows (it runs on its own thread), without a fixed sleep.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, "The worker never got there.");
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }
}
