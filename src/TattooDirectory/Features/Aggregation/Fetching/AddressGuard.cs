using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>
/// The two network primitives the fetcher uses, injectable so tests can resolve made-up names and
/// record (and refuse) every connection attempt without any packet leaving loopback.
/// </summary>
/// <param name="Resolve">Host name to addresses; the default asks the system resolver.</param>
/// <param name="Connect">Opens a TCP stream to one exact address; the default is a plain socket.</param>
public sealed record FetchNetwork(
    Func<string, CancellationToken, Task<IPAddress[]>> Resolve,
    Func<IPEndPoint, CancellationToken, ValueTask<Stream>> Connect)
{
    public static FetchNetwork System { get; } = new(Dns.GetHostAddressesAsync, ConnectSocketAsync);

    private static async ValueTask<Stream> ConnectSocketAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Thrown inside the connect callback; the fetcher turns it into <see cref="FetchFailure.ForbiddenAddress"/>.</summary>
internal sealed class ForbiddenAddressException(string message) : Exception(message);

/// <summary>
/// Decides, for every connection the HTTP handler opens, whether it may be opened and to which
/// address. It resolves the name once, refuses the whole connection if any answer is forbidden
/// (a name that also points inside is hostile), and connects only to the addresses it checked,
/// so a DNS answer that changes between check and connect (rebinding) cannot slip through.
/// </summary>
internal sealed partial class AddressGuard(FetchOptions options, FetchNetwork network, ILogger logger)
{
    private static readonly int[] DefaultPorts = [80, 443];

    private readonly AddressRules _rules = new(options.DeniedNetworks.Select(n => AddressRules.TryParseNetwork(n, out var network) ? network.Value : throw new ArgumentException($"Bad network '{n}'.")));
    private readonly HashSet<HostPort> _allowed = [.. options.AllowedHosts.SelectMany(e => HostPort.TryParseEntries(e, out var hp) ? hp : throw new ArgumentException($"Bad host:port '{e}'."))];
    private readonly HashSet<int> _ports = [.. DefaultPorts, .. options.AllowedPorts];

    /// <summary>Why a URL may not even be attempted (scheme, port), or null. Addresses are judged at connect time.</summary>
    public string? WhyRefused(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return "only http and https are fetched";
        }

        // An allow-list entry may name the address a host resolves to, which is not known yet; the
        // connect callback checks the port again against what the name resolved to.
        return _ports.Contains(url.Port) || _allowed.Any(a => a.Port == url.Port) ? null : $"port {url.Port} is not allowed";
    }

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = HostPort.Normalise(context.DnsEndPoint.Host);
        var port = context.DnsEndPoint.Port;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await network.Resolve(host, ct);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var nameAllowed = IsAllowListedName(host, port);
        var endpoints = new List<IPEndPoint>(addresses.Length);
        foreach (var address in addresses.Select(AddressRules.Canonical))
        {
            if (!nameAllowed && !_allowed.Contains(HostPort.Of(address, port)))
            {
                if (!_ports.Contains(port))
                {
                    throw Refuse($"port {port} is not allowed for {address}");
                }

                if (_rules.WhyForbidden(address) is { } why)
                {
                    throw Refuse($"{address} is {why}");
                }
            }

            endpoints.Add(new IPEndPoint(address, port));
        }

        Exception? last = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                return await network.Connect(endpoint, ct);
            }
            catch (Exception ex) when (ex is SocketException or IOException && !ct.IsCancellationRequested)
            {
                last = ex;
            }
        }

        throw last!;
    }

    private bool IsAllowListedName(string host, int port) => _allowed.Contains(new HostPort(HostPort.Normalise(host), port));

    private ForbiddenAddressException Refuse(string why)
    {
        LogRefused(logger, why);
        return new ForbiddenAddressException(why);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetch refused before connecting: {Why}")]
    private static partial void LogRefused(ILogger logger, string why);
}
