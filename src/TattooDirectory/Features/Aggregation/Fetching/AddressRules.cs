using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TattooDirectory.Features.Aggregation.Fetching;

/// <summary>A <c>host:port</c> pair as written in configuration and as a connection names it; the host is lower case, brackets stripped.</summary>
internal readonly record struct HostPort(string Host, int Port)
{
    public static bool TryParse(string? text, out HostPort value)
    {
        value = default;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = Normalise(text[..colon]);
        if (host.Length == 0 || (host.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(host, out _)))
        {
            return false;
        }

        value = new HostPort(host, port);
        return true;
    }

    /// <summary>The most ports one range entry may open, so a typo such as <c>1-65535</c> cannot allow-list a whole host.</summary>
    public const int MaxRangePorts = 1024;

    /// <summary>
    /// An allow-list setting: comma-separated <c>host:port</c> or <c>host:first-last</c> entries (the
    /// demo web prints <c>127.0.0.1:5099-5135</c>), expanded to one pair per port.
    /// </summary>
    public static bool TryParseEntries(string? text, out IReadOnlyList<HostPort> values)
    {
        var parsed = new List<HostPort>();
        values = parsed;
        if (string.IsNullOrWhiteSpace(text)) return false;
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            var dash = colon > 0 ? entry.IndexOf('-', colon) : -1;
            if (dash < 0)
            {
                if (!TryParse(entry, out var single)) return false;
                parsed.Add(single);
                continue;
            }

            if (!TryParse(entry[..dash], out var first)
                || !int.TryParse(entry.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first.Port || last > 65535 || last - first.Port >= MaxRangePorts)
            {
                return false;
            }

            for (var port = first.Port; port <= last; port++) parsed.Add(first with { Port = port });
        }

        return parsed.Count > 0;
    }

    public static string Normalise(string host) => host.Trim().TrimStart('[').TrimEnd(']').ToLowerInvariant();

    public static HostPort Of(IPAddress address, int port) => new(AddressRules.Canonical(address).ToString(), port);
}

/// <summary>
/// Which addresses a scraper may never connect to: everything that is not the public internet
/// (loopback, private, link-local with the cloud metadata address, CGNAT, multicast, reserved),
/// the same ranges hidden inside IPv6 forms (mapped, compatible, NAT64, 6to4), and the configured deny-list.
/// </summary>
internal sealed class AddressRules(IEnumerable<IPNetwork> denied)
{
    private static readonly IPNetwork[] ReservedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),       // "this network", includes the unspecified address
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),   // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),  // link-local, includes 169.254.169.254 (instance metadata)
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),    // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),   // benchmarking
        IPNetwork.Parse("224.0.0.0/4"),     // multicast
        IPNetwork.Parse("240.0.0.0/4"),     // reserved, includes 255.255.255.255
    ];

    private static readonly IPNetwork[] ReservedV6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("100::/64"),        // discard-only
        IPNetwork.Parse("fc00::/7"),        // unique local
        IPNetwork.Parse("fe80::/10"),       // link-local
        IPNetwork.Parse("fec0::/10"),       // deprecated site-local, still routed by some stacks
        IPNetwork.Parse("ff00::/8"),        // multicast
    ];

    // IPv6 forms that carry an IPv4 address a gateway may deliver to; the embedded address is judged instead.
    private static readonly (IPNetwork Network, int Offset)[] EmbeddedV4 =
    [
        (IPNetwork.Parse("::/96"), 12),         // IPv4-compatible
        (IPNetwork.Parse("64:ff9b::/96"), 12),  // NAT64 well-known prefix
        (IPNetwork.Parse("64:ff9b:1::/48"), 12), // local-use NAT64
        (IPNetwork.Parse("2002::/16"), 2),      // 6to4
    ];

    private readonly IPNetwork[] _denied = [.. denied];

    /// <summary>The address itself, or the IPv4 address an IPv4-mapped IPv6 address stands for.</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Why the address is refused, or null when it is a public one.</summary>
    public string? WhyForbidden(IPAddress address)
    {
        address = Canonical(address);
        if (_denied.Any(n => n.Contains(address)))
        {
            return "on the configured deny-list";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ReservedV4.Any(n => n.Contains(address)) ? "not a public IPv4 address" : null;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        if (ReservedV6.Any(n => n.Contains(address)))
        {
            return "not a public IPv6 address";
        }

        foreach (var (network, offset) in EmbeddedV4)
        {
            if (network.Contains(address) && WhyForbidden(new IPAddress(address.GetAddressBytes().AsSpan(offset, 4))) is { } inner)
            {
                return $"IPv6 form of an address {inner}";
            }
        }

        return null;
    }

    public static bool TryParseNetwork(string? text, [NotNullWhen(true)] out IPNetwork? network)
    {
        network = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (IPNetwork.TryParse(text, out var parsed))
        {
            network = parsed;
            return true;
        }

        if (IPAddress.TryParse(text, out var single))
        {
            single = Canonical(single);
            network = new IPNetwork(single, single.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }
}
