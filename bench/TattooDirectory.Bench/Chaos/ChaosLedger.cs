using System.Collections.Concurrent;

namespace TattooDirectory.Bench.Chaos;

/// <summary>A removal request the app acknowledged (202 with its id), and the decision the harness means to make on it.</summary>
internal sealed record AckedRequest(string RequestId, string ArtistId, string Type, bool Approve)
{
    /// <summary>Set once the app answered the decision (200/202, or 409 because an unanswered earlier try of the same decision had committed).</summary>
    public bool DecisionAcked { get; set; }
}

/// <summary>
/// Everything the app acknowledged during the run: what the invariants hold it to. Operations the
/// app never answered (the kill came first) are only counted; whatever they did or did not commit
/// is checked by the invariants that need no acknowledgement (nothing half-done, nothing doubled).
/// </summary>
internal sealed class ChaosLedger
{
    private readonly ConcurrentDictionary<string, AckedRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _targets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _served = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _unanswered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _runs = new();

    /// <summary>Artist ids the API served: each was committed, so it must still be there unless a removal took it.</summary>
    public IReadOnlyCollection<string> ServedArtists => [.. _served.Keys];

    public IReadOnlyCollection<AckedRequest> Requests => [.. _requests.Values];

    public IReadOnlyList<string> Runs => [.. _runs];

    public int RunCount => _runs.Count;

    public IReadOnlyDictionary<string, int> Acknowledged => new SortedDictionary<string, int>(_acknowledged, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Unanswered => new SortedDictionary<string, int>(_unanswered, StringComparer.Ordinal);

    /// <summary>Answers that were neither success nor an expected refusal, by operation and status code.</summary>
    public IReadOnlyDictionary<string, int> Refusals => new SortedDictionary<string, int>(_refused, StringComparer.Ordinal);

    public int TotalAcknowledged => _acknowledged.Values.Sum();

    public int TotalUnanswered => _unanswered.Values.Sum();

    public void Served(IEnumerable<string> artistIds)
    {
        foreach (var id in artistIds) _served.TryAdd(id, 0);
    }

    /// <summary>A served artist no request names yet; each artist is asked about once, so decisions never race.</summary>
    public string? FreeTarget(Random random)
    {
        var free = _served.Keys.Where(id => !_targets.ContainsKey(id)).ToList();
        if (free.Count == 0) return null;
        var pick = free[random.Next(free.Count)];
        return _targets.TryAdd(pick, 0) ? pick : null;
    }

    public void Release(string artistId) => _targets.TryRemove(artistId, out _);

    public void Submitted(AckedRequest request)
    {
        _requests[request.RequestId] = request;
        Ack("removal-submit");
    }

    public AckedRequest? Undecided(Random random)
    {
        var open = _requests.Values.Where(r => !r.DecisionAcked).ToList();
        return open.Count == 0 ? null : open[random.Next(open.Count)];
    }

    public void Decided(AckedRequest request)
    {
        request.DecisionAcked = true;
        Ack(request.Approve ? "removal-approve" : "removal-reject");
    }

    public void RunStarted(string runId)
    {
        _runs.Enqueue(runId);
        Ack("aggregation-run");
    }

    public void Ack(string kind) => _acknowledged.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void Refused(string kind, System.Net.HttpStatusCode status, string body)
    {
        var key = $"{kind} {(int)status}";
        if (_refused.AddOrUpdate(key, 1, (_, n) => n + 1) == 1) FirstRefusals.Enqueue($"{key}: {ChaosClient.Trim(body)}");
    }

    /// <summary>The body of the first answer of each kind of refusal, for the report.</summary>
    public ConcurrentQueue<string> FirstRefusals { get; } = new();

    public void NoAnswer(string kind) => _unanswered.AddOrUpdate(kind, 1, (_, n) => n + 1);
}
