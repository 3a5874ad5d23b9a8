using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using TattooDirectory.Core.Removal;
using TattooDirectory.Tests.Features.Admin;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Removal;

/// <summary>The public /removal form as a browser uses it: plain posts, no script, cookies kept.</summary>
public sealed class RemovalFormTests
{
    private const string FormSelector = "form.removal-form";
    private static readonly HtmlParser Parser = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_form_behind_a_profiles_removal_link_names_the_artist_and_offers_their_images()
    {
        await using var host = await StartAsync();
        var (artist, images) = await RemovalArtists.AddAsync(host, TestArtists.Make("artist-formlink1", "Linked Person", studioId: RemovalArtists.Parlour.StudioId));
        using var browser = new OperatorClient(host);

        var (_, profile) = await browser.GetPageAsync($"/artists/{artist.ArtistId}");
        var (status, page) = await browser.GetPageAsync(profile.QuerySelector("p.removal-link a")!.GetAttribute("href")!);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Linked Person", page.QuerySelector(".removal-artist")!.TextContent, StringComparison.Ordinal);
        var form = page.QuerySelector(FormSelector)!;
        Assert.Equal(("post", "/removal/requests", "multipart/form-data"), (form.GetAttribute("method"), form.GetAttribute("action"), form.GetAttribute("enctype")));
        Assert.NotNull(form.QuerySelector("input[type=hidden][name=__RequestVerificationToken]"));
        Assert.Equal(artist.ArtistId, form.QuerySelector("input#artistId")!.GetAttribute("value"));
        var boxes = form.QuerySelectorAll("input[type=checkbox][name=imageIds]");
        Assert.Equal(images.Select(i => i.ImageId), boxes.Select(b => b.GetAttribute("value")));
        Assert.All(boxes, box => Assert.NotNull(page.QuerySelector($"label[for='{box.Id}'] img[src][width][height]")));
        Assert.Equal(4, form.QuerySelectorAll("input[type=radio][name=requestType]").Length);
        var trap = form.QuerySelector("input[name=website]")!;
        Assert.Equal(("-1", "off", "true"), (trap.GetAttribute("tabindex"), trap.GetAttribute("autocomplete"), trap.ParentElement!.GetAttribute("aria-hidden")));
    }

    [Fact]
    public async Task Without_a_known_artist_the_form_asks_for_image_ids_as_text()
    {
        await using var host = await StartAsync();
        using var browser = new OperatorClient(host);

        var (status, page) = await browser.GetPageAsync("/removal?artistId=artist-nobodyhere1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(page.QuerySelector(".removal-artist"));
        Assert.Equal("artist-nobodyhere1", page.QuerySelector("input#artistId")!.GetAttribute("value"));
        Assert.Equal("text", page.QuerySelector("input#imageIds")!.GetAttribute("type"));
        Assert.Empty(page.QuerySelectorAll("input[type=checkbox]"));
    }

    [Fact]
    public async Task A_form_with_errors_comes_back_as_400_with_the_answers_kept_and_a_summary_linking_to_each_field()
    {
        await using var host = await StartAsync();
        var (artist, images) = await RemovalArtists.AddAsync(host, TestArtists.Make("artist-formerr1", "Erring Person", studioId: RemovalArtists.Parlour.StudioId));
        using var browser = new OperatorClient(host);
        var (_, blank) = await browser.GetPageAsync($"/removal?artistId={artist.ArtistId}");

        var form = BrowserForm.Of(blank, FormSelector)
            .Set("email", "not-an-email")
            .Choose("requestType", "image-removal")
            .Set("details", "The second piece is not mine.");
        var (status, page) = await SubmitAsync(browser, form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Error:", page.Title, StringComparison.Ordinal);
        Assert.Equal("not-an-email", page.QuerySelector("input#email")!.GetAttribute("value"));
        Assert.Equal(artist.ArtistId, page.QuerySelector("input#artistId")!.GetAttribute("value"));
        Assert.Equal("The second piece is not mine.", page.QuerySelector("textarea#details")!.TextContent);
        Assert.True(page.QuerySelector("input[name=requestType][value=image-removal]")!.HasAttribute("checked"));
        var links = page.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(["#fullName", "#email", $"#image-{images[0].ImageId}"], links);
        Assert.All(links, href => Assert.NotNull(page.GetElementById(href[1..])));
        var name = page.QuerySelector("input#fullName")!;
        Assert.Equal("true", name.GetAttribute("aria-invalid"));
        Assert.Contains("fullName-error", name.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Equal("Enter your full name.", page.GetElementById("fullName-error")!.TextContent);
        Assert.Empty((await host.Service<RemovalDesk>().ListAsync(RemovalStatus.Pending, cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task A_form_naming_no_profile_gets_one_message_for_the_three_ways_to_name_it()
    {
        await using var host = await StartAsync();
        using var browser = new OperatorClient(host);
        var (_, blank) = await browser.GetPageAsync("/removal");

        var (status, page) = await SubmitAsync(browser, BrowserForm.Of(blank, FormSelector)
            .Set("fullName", "Some Person").Set("email", "some.person@example.org").Choose("requestType", "profile-removal"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["#artistId"], page.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.NotNull(page.GetElementById("profile-error"));
        Assert.Equal(("Some Person", "some.person@example.org"), (page.QuerySelector("input#fullName")!.GetAttribute("value"), page.QuerySelector("input#email")!.GetAttribute("value")));
    }

    [Fact]
    public async Task A_valid_form_is_stored_and_answered_with_303_to_a_confirmation_showing_the_reference()
    {
        await using var host = await StartAsync();
        var (artist, images) = await RemovalArtists.AddAsync(host, TestArtists.Make("artist-formok1", "Valid Person", studioId: RemovalArtists.Parlour.StudioId));
        using var browser = new OperatorClient(host);
        var (_, blank) = await browser.GetPageAsync($"/removal?artistId={artist.ArtistId}");

        using var response = await browser.SubmitAsync(Filled(blank).Choose("requestType", "image-removal").Tick("imageIds", images[1].ImageId));

        var requestId = AssertRedirectedToConfirmation(response);
        var (status, confirmation) = await browser.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(requestId, confirmation.QuerySelector(".reference")!.TextContent.Trim());
        Assert.Contains("five working days", confirmation.Body!.TextContent, StringComparison.Ordinal);
        var stored = await host.Service<RemovalDesk>().GetAsync(requestId, Ct);
        Assert.NotNull(stored);
        Assert.Equal((RemovalRequestType.ImageRemoval, "valid.person@example.org", artist.ArtistId), (stored.Type, stored.Requester?.Email, stored.MatchedArtistId));
        Assert.Equal([images[1].ImageId], stored.Subject!.ImageIds);
        Assert.Equal("It is my profile.\nMessage me on Instagram.", stored.Requester!.Details);
    }

    [Fact]
    public async Task A_filled_honeypot_is_answered_exactly_like_success_but_nothing_is_stored()
    {
        await using var host = await StartAsync();
        using var browser = new OperatorClient(host);
        var (_, blank) = await browser.GetPageAsync("/removal?artistId=artist-botbait1");

        using var response = await browser.SubmitAsync(Filled(blank).Choose("requestType", "profile-removal").Set("website", "https://spam.example"));

        var requestId = AssertRedirectedToConfirmation(response);
        var (status, confirmation) = await browser.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(requestId, confirmation.QuerySelector(".reference")!.TextContent.Trim());
        var desk = host.Service<RemovalDesk>();
        Assert.Null(await desk.GetAsync(requestId, Ct));
        Assert.Empty((await desk.ListAsync(RemovalStatus.Pending, cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task A_post_without_the_forms_token_gets_the_form_back_and_nothing_is_stored()
    {
        await using var host = await StartAsync();
        using var browser = new OperatorClient(host);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["fullName"] = "Forged Person", ["email"] = "forged@example.org", ["artistId"] = "artist-forged1", ["requestType"] = "profile-removal",
        });

        using var response = await browser.SendAsync(HttpMethod.Post, "/removal/requests", content);
        var page = await ParseAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("fill it in again", page.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("form.removal-form input[name=__RequestVerificationToken]"));
        Assert.Empty((await host.Service<RemovalDesk>().ListAsync(RemovalStatus.Pending, cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task Showing_the_form_costs_nothing_but_each_post_counts_and_past_the_limit_an_html_page_says_when_to_retry()
    {
        await using var host = await StartAsync(perHour: 2);
        using var browser = new OperatorClient(host);
        async Task<IDocument> FreshFormAsync()
        {
            var (status, page) = await browser.GetPageAsync("/removal?artistId=artist-limited1");
            Assert.Equal(HttpStatusCode.OK, status);
            return page;
        }
        for (var i = 0; i < 5; i++) await FreshFormAsync();

        using var first = await browser.SubmitAsync(Filled(await FreshFormAsync()).Choose("requestType", "profile-removal"));
        using var second = await browser.SubmitAsync(BrowserForm.Of(await FreshFormAsync(), FormSelector));
        using var third = await browser.SubmitAsync(Filled(await FreshFormAsync()).Choose("requestType", "profile-removal"));
        using var api = await RemovalApi.SubmitAsync(host, RemovalApi.ValidBody());

        Assert.Equal((HttpStatusCode.SeeOther, HttpStatusCode.BadRequest), (first.StatusCode, second.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("text/html", third.Content.Headers.ContentType?.MediaType);
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var page = await ParseAsync(third);
        Assert.Matches("You can try again in (about \\d+ minutes?|under a minute)", page.QuerySelector(".retry-after")!.TextContent);
        // The API and the form share one budget per client.
        Assert.Equal((HttpStatusCode.TooManyRequests, "application/problem+json"), (api.StatusCode, api.Content.Headers.ContentType?.MediaType));
        Assert.Single((await host.Service<RemovalDesk>().ListAsync(RemovalStatus.Pending, cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task A_form_over_16_KiB_answers_413_with_the_error_page()
    {
        await using var host = await StartAsync();
        using var browser = new OperatorClient(host);
        var (_, blank) = await browser.GetPageAsync("/removal");

        using var response = await browser.SubmitAsync(Filled(blank).Choose("requestType", "profile-removal").Set("details", new string('x', 17 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_confirmation_page_answers_404_for_an_address_that_is_no_reference()
    {
        await using var host = await StartAsync();
        using var browser = new OperatorClient(host);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetPageAsync("/removal/received/not-a-reference")).Status);
    }

    private static Task<DirectoryHost> StartAsync(int perHour = 1000) => DirectoryHost.StartAsync(seed: false, settings: RemovalApi.Settings(perHour));

    /// <summary>The form with a requester's answers typed in (the profile as prefilled from the page's address).</summary>
    private static BrowserForm Filled(IDocument page) => BrowserForm.Of(page, FormSelector)
        .Set("fullName", "Valid Person")
        .Set("email", "valid.person@example.org")
        .Set("details", "It is my profile.\r\nMessage me on Instagram.");

    private static string AssertRedirectedToConfirmation(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location?.OriginalString ?? "";
        Assert.Matches("^/removal/received/rem-[a-z0-9]{20}$", location);
        return location["/removal/received/".Length..];
    }

    private static async Task<(HttpStatusCode Status, IHtmlDocument Page)> SubmitAsync(OperatorClient browser, BrowserForm form)
    {
        using var response = await browser.SubmitAsync(form);
        return (response.StatusCode, await ParseAsync(response));
    }

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync(Ct), Ct);
}
