using TattooDirectory.Core.Notifications;
using TattooDirectory.Core.Removal;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Core.Removal;

public sealed class RemovalDeskTests : IDisposable
{
    private readonly LocalBackendRig _rig = new();
    private readonly RemovalHarness _removals;

    public RemovalDeskTests() => _removals = new RemovalHarness(_rig);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_submission_is_stored_pending_and_the_operators_are_notified_without_personal_data()
    {
        var (artist, _) = await _removals.AddArtistAsync("artist-desk01", "Desk Person");

        var request = await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "@" + artist.InstagramHandle!.ToUpperInvariant());

        var stored = await _removals.Desk.GetAsync(request.RequestId, Ct);
        Assert.Equal((RemovalStatus.Pending, artist.ArtistId, "requester@example.org"), (stored!.Status, stored.MatchedArtistId, stored.Requester!.Email));
        var notice = Assert.Single(await _removals.OutboxAsync());
        Assert.Equal((Topics.RemovalRequests, $"{request.RequestId}:submitted"), (notice.Topic, notice.MessageId));
        Assert.Contains($"/admin/removals/{request.RequestId}", notice.Message.Body, StringComparison.Ordinal);
        foreach (var personal in new[] { "Requester Person", "requester@example.org", artist.Name, artist.InstagramHandle, artist.ArtistId })
        {
            Assert.DoesNotContain(personal, notice.Message.Subject + notice.Message.Body, StringComparison.OrdinalIgnoreCase);
        }
        Assert.True((await _removals.AuditAsync(request.RequestId)).Verifies);
    }

    [Theory]
    [InlineData("artist-desk02", null, null)]
    [InlineData(null, "ink_desk02", null)]
    [InlineData(null, null, "https://tattoo.example/artists/artist-desk02/")]
    [InlineData("artist-nobody1", null, "http://localhost:5000/artists/artist-desk02")]
    public async Task A_submission_matches_the_profile_by_id_handle_or_profile_url(string? artistId, string? handle, string? url)
    {
        await _removals.AddArtistAsync("artist-desk02", "Matched Person");

        var request = await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, artistId, handle, url);

        Assert.Equal("artist-desk02", request.MatchedArtistId);
    }

    [Fact]
    public async Task A_submission_about_nobody_listed_is_stored_unmatched()
    {
        var request = await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "not_listed_here");

        Assert.Null(request.MatchedArtistId);
        Assert.Equal(RemovalStatus.Pending, (await _removals.Desk.GetAsync(request.RequestId, Ct))!.Status);
    }

    [Fact]
    public async Task Approving_fixes_the_purge_target_from_the_profile_and_what_was_supplied()
    {
        var (artist, _) = await _removals.AddArtistAsync("artist-desk03", "Target Person");
        var request = await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, artistId: artist.ArtistId, handle: "another_handle");

        var approved = await _removals.ApproveAsync(request);

        Assert.Equal(RemovalStatus.Approved, approved.Status);
        var target = approved.Purge!.Target;
        Assert.Equal((artist.ArtistId, RemovalHarness.Parlour.StudioId, PurgeStep.Started), (target.ArtistId, target.StudioId, approved.Purge.Step));
        var hasher = _rig.Denylist.Hasher;
        Assert.Equal(hasher.All(artist).Append(hasher.Instagram("another_handle")).Order(), target.IdentityHashes.Order());
        AssertSame(approved, await _removals.Desk.GetAsync(request.RequestId, Ct));
    }

    [Fact]
    public async Task A_second_decision_on_a_request_answers_not_pending_and_changes_nothing()
    {
        var request = await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "decided_once");
        var approved = await _removals.ApproveAsync(request);

        var again = await _removals.Desk.ApproveAsync(request.RequestId, "again", Ct);
        var reject = await _removals.Desk.RejectAsync(request.RequestId, "changed my mind", Ct);

        Assert.Equal((DecisionOutcome.NotPending, DecisionOutcome.NotPending), (again.Outcome, reject.Outcome));
        AssertSame(approved, await _removals.Desk.GetAsync(request.RequestId, Ct));
    }

    [Fact]
    public async Task Racing_decisions_on_one_request_let_exactly_one_through()
    {
        var request = await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "raced_decision");

        var decisions = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => i % 2 == 0
            ? _removals.Desk.ApproveAsync(request.RequestId, "yes", Ct)
            : _removals.Desk.RejectAsync(request.RequestId, "no", Ct), Ct)));

        Assert.Single(decisions, d => d.Outcome == DecisionOutcome.Done);
        var (entries, verifies) = await _removals.AuditAsync(request.RequestId);
        Assert.True(verifies);
        Assert.Equal(2, entries.Count);
    }

    [Fact]
    public async Task Rejecting_closes_the_request_and_tells_the_requester_with_the_note()
    {
        var request = await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: "rejected_one");

        var decision = await _removals.Desk.RejectAsync(request.RequestId, "We could not verify the account.", Ct);

        Assert.Equal((DecisionOutcome.Done, RemovalStatus.Rejected), (decision.Outcome, decision.Request!.Status));
        Assert.NotNull(decision.Request.ClosedAt);
        var told = Assert.Single(await _removals.OutboxAsync(), e => e.Topic == Topics.RemovalConfirmations);
        Assert.Equal("requester@example.org", told.Message.Attributes![RemovalMessages.EmailAttribute]);
        Assert.Contains("We could not verify the account.", told.Message.Body, StringComparison.Ordinal);
        Assert.False(await _rig.Denylist.IsHandleDeniedAsync("rejected_one", Ct));
    }

    [Fact]
    public async Task Approving_an_incorrect_info_report_closes_it_without_touching_the_profile()
    {
        var (artist, _) = await _removals.AddArtistAsync("artist-desk04", "Corrected Person");
        var request = await _removals.SubmitAsync(RemovalRequestType.IncorrectInfo, artistId: artist.ArtistId);

        var closed = await _removals.ApproveAsync(request);

        Assert.Equal((RemovalStatus.Completed, "Verified by DM.", (PurgeProgress?)null), (closed.Status, closed.Note, closed.Purge));
        Assert.NotNull(await _rig.Catalog.GetArtistAsync(artist.ArtistId, Ct));
        Assert.False(await _rig.Denylist.IsDeniedAsync(artist, Ct));
        Assert.Single(await _removals.OutboxAsync(), e => e.MessageId == $"{request.RequestId}:confirmed");
    }

    [Fact]
    public async Task Deciding_an_unknown_request_answers_not_found()
    {
        Assert.Equal(DecisionOutcome.NotFound, (await _removals.Desk.ApproveAsync("rem-aaaaaaaaaaaaaaaaaaaa", null, Ct)).Outcome);
        Assert.Equal(DecisionOutcome.NotFound, (await _removals.Desk.RejectAsync("not-an-id", null, Ct)).Outcome);
    }

    [Fact]
    public async Task Requests_are_listed_by_status_oldest_first_in_pages()
    {
        var submitted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            submitted.Add((await _removals.SubmitAsync(RemovalRequestType.ProfileRemoval, handle: $"listed_{i}")).RequestId);
            _rig.Time.Advance(TimeSpan.FromMinutes(1));
        }
        await _removals.Desk.RejectAsync(submitted[1], null, Ct);

        var first = await _removals.Desk.ListAsync(RemovalStatus.Pending, limit: 3, cancellationToken: Ct);
        var second = await _removals.Desk.ListAsync(RemovalStatus.Pending, limit: 3, first.NextCursor, Ct);
        var rejected = await _removals.Desk.ListAsync(RemovalStatus.Rejected, cancellationToken: Ct);

        Assert.Equal([submitted[0], submitted[2], submitted[3], submitted[4]], first.Items.Concat(second.Items).Select(r => r.RequestId));
        Assert.Null(second.NextCursor);
        Assert.Equal([submitted[1]], rejected.Items.Select(r => r.RequestId));
    }

    /// <summary>Records holding lists compare by reference; the stored form compares by content.</summary>
    private static void AssertSame(RemovalRequest expected, RemovalRequest? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((RemovalItems.ToItem(expected).Data, expected.Version), (RemovalItems.ToItem(actual).Data, actual.Version));
    }
}
