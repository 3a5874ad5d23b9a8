using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using TattooDirectory.Tests.Features.Web;
using TattooDirectory.Tests.Support;

namespace TattooDirectory.Tests.Features.Admin;

/// <summary>
/// A browser's view of the operator pages: no automatic redirects, cookies kept by hand (so a
/// test can carry one where a browser would not), and forms submitted with their hidden fields.
/// </summary>
internal sealed class OperatorClient : IDisposable
{
    public const string Token = "operator-token-for-tests-0123456789";
    public const string CookieName = "td-admin";

    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _http;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public OperatorClient(DirectoryHost host) =>
        _http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.Client.BaseAddress };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public string? AdminCookie
    {
        get => _cookies.GetValueOrDefault(CookieName);
        set
        {
            if (value is null) _cookies.Remove(CookieName);
            else _cookies[CookieName] = value;
        }
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null, string? authorization = null, bool withCookies = true)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", HtmlPages.BrowserAccept);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (withCookies && _cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await _http.SendAsync(request, Ct);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';')[0].Split('=', 2);
            // An empty value or an expiry in the past is the server deleting the cookie.
            if (pair[1].Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _cookies.Remove(pair[0]);
            else _cookies[pair[0]] = pair[1];
        }
        return response;
    }

    public async Task<(HttpStatusCode Status, IHtmlDocument Page)> GetPageAsync(string url)
    {
        using var response = await SendAsync(HttpMethod.Get, url);
        return (response.StatusCode, await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync(Ct), Ct));
    }

    /// <summary>Submits the page's form matching <paramref name="selector"/> as a browser would, with the given fields set.</summary>
    public Task<HttpResponseMessage> SubmitAsync(IHtmlDocument page, string selector, IReadOnlyDictionary<string, string>? fields = null)
    {
        var form = BrowserForm.Of(page, selector);
        foreach (var (name, value) in fields ?? new Dictionary<string, string>()) form.Set(name, value);
        return SubmitAsync(form);
    }

    public async Task<HttpResponseMessage> SubmitAsync(BrowserForm form)
    {
        using var content = form.ToContent();
        return await SendAsync(HttpMethod.Post, form.Action, content);
    }

    /// <summary>Opens <paramref name="url"/> (the sign-in form, or the form a protected page answers with) and signs in.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string token = Token, string url = "/admin/sign-in")
    {
        var (_, page) = await GetPageAsync(url);
        return await SubmitAsync(page, "form.admin-form", new Dictionary<string, string> { ["token"] = token });
    }

    public void Dispose() => _http.Dispose();
}
