using System.Security.Cryptography;

namespace TattooDirectory.Backends.Local.Queues;

/// <summary>
/// A receipt handle names one delivery: the message id and a random token stored with the
/// message when it is received. The next receive stores a new token, so an older handle no
/// longer matches anything and cannot touch the newer delivery.
/// </summary>
internal static class ReceiptHandle
{
    private const char Separator = '.';

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Format(string messageId, string token) => $"{messageId}{Separator}{token}";

    /// <exception cref="ArgumentException">not a handle this adapter issued.</exception>
    public static (string MessageId, string Token) Parse(string receiptHandle)
    {
        ArgumentNullException.ThrowIfNull(receiptHandle);
        var separator = receiptHandle.LastIndexOf(Separator);
        return separator > 0 && separator < receiptHandle.Length - 1
            ? (receiptHandle[..separator], receiptHandle[(separator + 1)..])
            : throw new ArgumentException("Not a receipt handle.", nameof(receiptHandle));
    }
}
