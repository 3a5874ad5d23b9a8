using TattooDirectory.Hosting;

namespace TattooDirectory.Tests.Hosting;

public sealed class LogRedactionTests
{
    [Theory]
    [InlineData("Delivered to jane.doe+tattoos@example.co.uk today", "Delivered to [email] today")]
    [InlineData("From <A.B@Mail.Example.org>", "From <[email]>")]
    [InlineData("Scraped @ink_by.jane on instagram", "Scraped @[handle] on instagram")]
    [InlineData("(@inkbyjane)", "(@[handle])")]
    [InlineData("See https://www.instagram.com/ink_by.jane/ for more", "See https://www.instagram.com/[handle]/ for more")]
    [InlineData("INSTAGRAM.COM/InkByJane?hl=en", "INSTAGRAM.COM/[handle]?hl=en")]
    [InlineData("https://instagr.am/inkbyjane", "https://instagr.am/[handle]")]
    [InlineData("jane@example.com and @jane_ink and instagram.com/jane_ink", "[email] and @[handle] and instagram.com/[handle]")]
    // Left as they are: ids, counts, our own routes, addresses, and an @ that does not start a handle.
    [InlineData("Purged artist-3f9a2c (4 images) for rem-01HZX", "Purged artist-3f9a2c (4 images) for rem-01HZX")]
    [InlineData("GET /v1/artists/artist-3f9a2c?limit=20 answered 200", "GET /v1/artists/artist-3f9a2c?limit=20 answered 200")]
    [InlineData("Fetched http://127.0.0.1:5101/artists/jane-doe in 12 ms", "Fetched http://127.0.0.1:5101/artists/jane-doe in 12 ms")]
    [InlineData("user@localhost and a lone @ sign", "user@localhost and a lone @ sign")]
    [InlineData("", "")]
    public void Scrub_replaces_emails_handles_and_instagram_urls_and_nothing_else(string input, string expected) =>
        Assert.Equal(expected, LogRedaction.Scrub(input));

    [Theory]
    [InlineData("Name", true)]
    [InlineData("ArtistName", true)]
    [InlineData("fullName", true)]
    [InlineData("@Handle", true)]
    [InlineData("InstagramHandle", true)]
    [InlineData("Instagram", true)]
    [InlineData("Bio", true)]
    [InlineData("Email", true)]
    [InlineData("RequesterEmail", true)]
    [InlineData("Requester", true)]
    [InlineData("ContactPhone", true)]
    [InlineData("Details", true)]
    [InlineData("Note", true)]
    [InlineData("ArtistId", false)]
    [InlineData("RequestId", false)]
    [InlineData("StateMachine", false)]
    [InlineData("ExecutionName", false)]
    [InlineData("Topic", false)]
    [InlineData("Count", false)]
    [InlineData("Path", false)]
    [InlineData("{OriginalFormat}", false)]
    public void A_property_is_personal_when_its_name_says_so(string name, bool personal) =>
        Assert.Equal(personal, LogRedaction.IsPersonal(name));

    [Fact]
    public void A_personal_value_is_replaced_in_its_property_and_in_the_message_and_ids_and_counts_stay()
    {
        var line = LogRedaction.Redact(
        [
            new("ArtistId", "artist-3f9a2c"),
            new("Name", "Jane Doe"),
            new("Images", 4),
            new("{OriginalFormat}", "Updated {ArtistId} {Name} with {Images} images"),
        ], "Updated artist-3f9a2c Jane Doe with 4 images");

        Assert.Equal("Updated artist-3f9a2c [redacted] with 4 images", line.Message);
        Assert.Equal(
        [
            new("ArtistId", "artist-3f9a2c"),
            new("Name", LogRedaction.Redacted),
            new("Images", 4),
            new("{OriginalFormat}", "Updated {ArtistId} {Name} with {Images} images"),
        ], line.Values);
    }

    [Fact]
    public void Other_values_are_scrubbed_and_sequences_rendered_as_the_message_renders_them()
    {
        var line = LogRedaction.Redact([new("Subscriber", "ops@example.org"), new("Hosts", new[] { "a.example", "@someone" })], "to ops@example.org");

        Assert.Equal("to [email]", line.Message);
        Assert.Equal([new("Subscriber", "[email]"), new("Hosts", "a.example, @[handle]")], line.Values);
    }

    [Fact]
    public void A_query_string_keeps_its_parameter_names_and_loses_its_values()
    {
        var line = LogRedaction.Redact([new("Path", "/v1/artists"), new("QueryString", "?query=Jane%20Doe&limit=20")], "GET /v1/artists?query=Jane%20Doe&limit=20 - 200");

        Assert.Equal("GET /v1/artists?query=[redacted]&limit=[redacted] - 200", line.Message);
        Assert.Equal(new KeyValuePair<string, object?>("QueryString", "?query=[redacted]&limit=[redacted]"), line.Values[1]);
    }

    [Fact]
    public void An_exception_naming_someone_is_replaced_by_one_with_the_same_type_and_stack_and_without_them()
    {
        var thrown = Thrown(new InvalidOperationException("No account for jane@example.com (Jane Doe)"));

        var line = LogRedaction.Redact([new("Name", "Jane Doe")], "Failed", thrown);

        var redacted = Assert.IsType<RedactedException>(line.Exception);
        Assert.Equal(typeof(InvalidOperationException), redacted.OriginalType);
        Assert.Equal("No account for [email] ([redacted])", redacted.Message);
        Assert.StartsWith("System.InvalidOperationException: No account for [email] ([redacted])", redacted.ToString(), StringComparison.Ordinal);
        Assert.Contains(nameof(Thrown), redacted.ToString(), StringComparison.Ordinal);
        Assert.Equal(thrown.StackTrace, redacted.StackTrace);
    }

    [Fact]
    public void An_exception_naming_nobody_is_passed_on_as_it_is()
    {
        var thrown = Thrown(new TimeoutException("The fetch of artist-3f9a2c timed out"));

        Assert.Same(thrown, LogRedaction.Redact([], "Failed", thrown).Exception);
    }

    /// <summary>The exception as a catch block gets it, with a stack trace.</summary>
    internal static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }
}
