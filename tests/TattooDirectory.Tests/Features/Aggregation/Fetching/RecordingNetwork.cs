using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using TattooDirectory.Features.Aggregation.Fetching;

namespace TattooDirectory.Tests.Features.Aggregation.Fetching;

/// <summary>
/// The fetcher's network edge for tests: names resolve only through <see cref="Map"/>, and every
/// connection attempt is recorded. Only loopback endpoints are really connected; any other is
/// recorded and refused here, so even a broken guard could never send a packet off this machine.
/// </summary>
internal sealed class RecordingNetwork
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);
    private long _bytesReceived;

    public ConcurrentQueue<string> Resolved { get; } = new();

    public ConcurrentQueue<IPEndPoint> Attempts { get; } = new();

    public FetchNetwork Network => new(ResolveAsync, ConnectAsync);

    /// <summary>Every byte the fetcher has read off its sockets: what a hostile server actually got it to take in.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public IReadOnlyList<IPEndPoint> OffLoopbackAttempts => [.. Attempts.Where(e => !IPAddress.IsLoopback(e.Address))];

    public void Map(string name, params string[] addresses) => _names[name] = [.. addresses.Select(IPAddress.Parse)];

    private Task<IPAddress[]> ResolveAsync(string name, CancellationToken ct)
    {
        Resolved.Enqueue(name);
        return _names.TryGetValue(name, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }

    private async ValueTask<Stream> ConnectAsync(IPEndPoint endpoint, CancellationToken ct)
    {
        Attempts.Enqueue(endpoint);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        return new CountingStream(await FetchNetwork.System.Connect(endpoint, ct), this);
    }

    private sealed class CountingStream(Stream inner, RecordingNetwork owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();

        private int Counted(int read)
        {
            Interlocked.Add(ref owner._bytesReceived, read);
            return read;
        }
    }
}
