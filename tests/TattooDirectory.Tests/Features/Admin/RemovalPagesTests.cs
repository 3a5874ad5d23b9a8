using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TattooDirectory.Core.Removal;
using TattooDirectory.Tests.Features.Removal;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>The operator's removal pages through HTTP, signed in with the cookie, deciding through the pages' own forms.</summary>
public sealed class RemovalPagesTests
{
    private static readonly HtmlParser Parser = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_queue_lists_a_pending_request_and_its_page_shows_what_was_supplied_beside_the_profile()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings());
        var (artist, images) = await RemovalArtists.AddAsync(host, TestArtists.Make("artist-review1", "Reviewed Person", studioId: RemovalArtists.Parlour.StudioId));
        var requestId = await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody(artist.ArtistId));
        using var operatorClient = await SignedInAsync(host);

        var (listStatus, list) = await operatorClient.GetPageAsync("/admin/removals");
        using var detailResponse = await operatorClient.SendAsync(HttpMethod.Get, $"/admin/removals/{requestId}");
        var detail = await ParseAsync(detailResponse);

        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal("page", list.QuerySelector("nav.admin-tabs a[href='/admin/removals']")?.GetAttribute("aria-current"));
        var row = list.QuerySelector($"tr[data-request-id='{requestId}']")!;
        Assert.Equal($"/admin/removals/{requestId}", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Profile removal", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(artist.ArtistId, row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("requester@example.org", list.Body!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, detailResponse.StatusCode);
        Assert.Equal("no-store", detailResponse.Headers.CacheControl?.ToString());
        var supplied = detail.QuerySelector("section[aria-labelledby=supplied-heading]")!.TextContent;
        Assert.Contains("Requester Person", supplied, StringComparison.Ordinal);
        Assert.Contains("requester@example.org", supplied, StringComparison.Ordinal);
        Assert.Contains("I DM'd you from the account", supplied, StringComparison.Ordinal);
        var profile = detail.QuerySelector("section[aria-labelledby=profile-heading]")!;
        foreach (var shown in new[] { "Reviewed Person", artist.InstagramHandle!, RemovalArtists.Parlour.Name, "Leeds" })
        {
            Assert.Contains(shown, profile.TextContent, StringComparison.Ordinal);
        }
        Assert.NotNull(profile.QuerySelector($"a[href='/artists/{artist.ArtistId}']"));
        Assert.Equal(images.Count, profile.QuerySelectorAll(".admin-thumbs img[src]").Length);
        Assert.Equal("Chain verified", detail.QuerySelector("[data-fact=chain]")!.TextContent);
        Assert.NotNull(detail.QuerySelector($"form[action='/admin/removals/{requestId}/approve'] textarea[name=note]"));
        Assert.NotNull(detail.QuerySelector($"form[action='/admin/removals/{requestId}/reject'] input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task Approving_through_the_page_purges_the_profile_and_the_trace_check_then_finds_none()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings());
        var (artistId, requestId) = await SubmitForArtistAsync(host, "artist-approve1");
        using var operatorClient = await SignedInAsync(host);
        var (_, pending) = await operatorClient.GetPageAsync($"/admin/removals/{requestId}");

        using var approve = await operatorClient.SubmitAsync(pending, "form[action$='/approve']", new Dictionary<string, string> { ["note"] = "Verified by a DM from the account." });

        Assert.Equal(HttpStatusCode.SeeOther, approve.StatusCode);
        Assert.Equal($"/admin/removals/{requestId}", approve.Headers.Location?.OriginalString);
        var completed = await UntilAsync(operatorClient, $"/admin/removals/{requestId}", p => p.QuerySelector("[data-fact=status]")?.TextContent == "Completed");
        Assert.Equal("Verified by a DM from the account.", completed.QuerySelector("[data-fact=note]")!.TextContent);
        Assert.Equal(6, completed.QuerySelectorAll("ol.purge-steps li.step-done").Length);
        Assert.Empty(completed.QuerySelectorAll("form[action$='/approve'], form[action$='/reject']"));
        using (var gone = await host.Client.GetAsync($"/v1/artists/{artistId}", Ct)) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        var (checkStatus, checkedPage) = await operatorClient.GetPageAsync($"/admin/removals/{requestId}?check=traces");
        Assert.Equal(HttpStatusCode.OK, checkStatus);
        Assert.Contains("No trace found", checkedPage.QuerySelector(".trace-result")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejecting_through_the_page_closes_the_request_and_a_second_decision_shows_the_conflict()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings());
        var (artistId, requestId) = await SubmitForArtistAsync(host, "artist-reject1");
        using var operatorClient = await SignedInAsync(host);
        var (_, pending) = await operatorClient.GetPageAsync($"/admin/removals/{requestId}");

        using var reject = await operatorClient.SubmitAsync(pending, "form[action$='/reject']", new Dictionary<string, string> { ["note"] = "We could not verify the account." });
        // The same page, still showing both forms, as a second tab would.
        using var late = await operatorClient.SubmitAsync(pending, "form[action$='/approve']", new Dictionary<string, string> { ["note"] = "Approve after all." });
        var conflict = await ParseAsync(late);

        Assert.Equal(HttpStatusCode.SeeOther, reject.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("already decided: it is rejected", conflict.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        var (_, closed) = await operatorClient.GetPageAsync($"/admin/removals/{requestId}");
        Assert.Equal(("Rejected", "We could not verify the account."), (closed.QuerySelector("[data-fact=status]")!.TextContent, closed.QuerySelector("[data-fact=note]")!.TextContent));
        Assert.Null(closed.QuerySelector("ol.purge-steps"));
        using var kept = await host.Client.GetAsync($"/v1/artists/{artistId}", Ct);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Fact]
    public async Task An_overlong_note_comes_back_as_400_with_the_note_kept_and_nothing_decided()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings());
        var requestId = await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody());
        using var operatorClient = await SignedInAsync(host);
        var (_, pending) = await operatorClient.GetPageAsync($"/admin/removals/{requestId}");
        var note = new string('n', 1_001);

        using var response = await operatorClient.SubmitAsync(pending, "form[action$='/approve']", new Dictionary<string, string> { ["note"] = note });
        var page = await ParseAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("#note-approve", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        var field = page.QuerySelector("textarea#note-approve")!;
        Assert.Equal((note, "true"), (field.TextContent, field.GetAttribute("aria-invalid")));
        Assert.Equal(RemovalStatus.Pending, (await host.Service<RemovalDesk>().GetAsync(requestId, Ct))!.Status);
    }

    [Fact]
    public async Task Without_signing_in_the_pages_and_the_decisions_answer_401_and_decide_nothing()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings());
        var requestId = await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody());
        using var anonymous = new OperatorClient(host);

        var list = await anonymous.GetPageAsync("/admin/removals");
        var detail = await anonymous.GetPageAsync($"/admin/removals/{requestId}");
        using var approve = await anonymous.SendAsync(HttpMethod.Post, $"/admin/removals/{requestId}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["note"] = "x" }));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (list.Status, detail.Status, approve.StatusCode));
        Assert.NotNull(detail.Page.QuerySelector("form.admin-form input[name=token]"));
        Assert.DoesNotContain("requester@example.org", detail.Page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(RemovalStatus.Pending, (await host.Service<RemovalDesk>().GetAsync(requestId, Ct))!.Status);
    }

    [Fact]
    public async Task The_queue_flags_requests_past_the_sla_marks_and_a_closed_request_loses_its_contact_data_after_retention()
    {
        // Monday 09:00 UK time (UTC in winter).
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings(), configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var oldest = await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody("artist-slaold1"));
        time.Advance(TimeSpan.FromDays(2));
        var older = await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody("artist-slamid1"));
        // Tuesday of the next week, 10:00: six business days and one, and four and one.
        time.Advance(TimeSpan.FromDays(6) + TimeSpan.FromHours(1));
        var fresh = await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody("artist-slanew1"));

        using (var operatorClient = await SignedInAsync(host))
        {
            var (_, list) = await operatorClient.GetPageAsync("/admin/removals");
            Assert.Equal(("sla-critical", "over 5"), Sla(list, oldest));
            Assert.Equal(("sla-warning", "over 3"), Sla(list, older));
            Assert.Equal(("sla-ok", ""), Sla(list, fresh));
        }

        Assert.Equal(DecisionOutcome.Done, (await host.Service<RemovalDesk>().RejectAsync(oldest, "Not verified.", Ct)).Outcome);
        time.Advance(ContactRetention.RetainFor + TimeSpan.FromDays(1));
        await host.Service<ContactRetention>().RunAsync(Ct);

        using var later = await SignedInAsync(host);
        var (_, scrubbed) = await later.GetPageAsync($"/admin/removals/{oldest}");
        var supplied = scrubbed.QuerySelector("section[aria-labelledby=supplied-heading]")!.TextContent;
        Assert.Contains("Contact data deleted on", supplied, StringComparison.Ordinal);
        Assert.DoesNotContain("requester@example.org", scrubbed.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_request_answers_404_to_its_page_and_to_a_decision()
    {
        await using var host = await DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings());
        var (_, requestId) = await SubmitForArtistAsync(host, "artist-known1");
        using var operatorClient = await SignedInAsync(host);
        var (_, pending) = await operatorClient.GetPageAsync($"/admin/removals/{requestId}");
        var form = BrowserForm.Of(pending, "form[action$='/approve']");
        var unknown = "rem-aaaaaaaaaaaaaaaaaaaa";

        var (pageStatus, _) = await operatorClient.GetPageAsync($"/admin/removals/{unknown}");
        using var content = form.ToContent();
        using var decision = await operatorClient.SendAsync(HttpMethod.Post, $"/admin/removals/{unknown}/approve", content);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (pageStatus, decision.StatusCode));
        Assert.Equal("text/html", decision.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A listed artist and a pending profile-removal request naming it.</summary>
    private static async Task<(string ArtistId, string RequestId)> SubmitForArtistAsync(DirectoryHost host, string artistId)
    {
        var (artist, _) = await RemovalArtists.AddAsync(host, TestArtists.Make(artistId, "Person Under Review", studioId: RemovalArtists.Parlour.StudioId));
        return (artist.ArtistId, await RemovalApi.SubmitAcceptedAsync(host, RemovalApi.ValidBody(artist.ArtistId)));
    }

    private static (string? Level, string Flag) Sla(IHtmlDocument list, string requestId)
    {
        var sla = list.QuerySelector($"tr[data-request-id='{requestId}'] .sla")!;
        return (sla.ClassList.FirstOrDefault(c => c.StartsWith("sla-", StringComparison.Ordinal)), sla.QuerySelector(".sla-flag")?.TextContent ?? "");
    }

    private static async Task<OperatorClient> SignedInAsync(DirectoryHost host)
    {
        var client = new OperatorClient(host);
        using var signIn = await client.SignInAsync(RemovalApi.Token);
        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        return client;
    }

    /// <summary>Reloads a page until it shows what the background work (the purge) leads to.</summary>
    private static async Task<IHtmlDocument> UntilAsync(OperatorClient client, string url, Func<IHtmlDocument, bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            var (_, page) = await client.GetPageAsync(url);
            if (condition(page)) return page;
            Assert.False(timeout.IsCancellationRequested, $"{url} never got there; last: {page.QuerySelector("main")?.TextContent}");
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        }
    }

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync(Ct), Ct);
}
