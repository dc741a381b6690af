using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Orbitr.Server.Hosting;

/// <summary>The security headers on the answers Kestrel writes itself — 400 for a malformed request line or header,
/// 414 for a URI over its limit, 431 for headers over theirs, 408, 505… Kestrel writes those while parsing, before any
/// middleware runs (no request exists yet), so <see cref="SecurityHeaders"/> cannot reach them.
///
/// <para>A connection middleware wraps each connection's output. The HTTP pipeline counts the requests it is answering
/// (<see cref="UseKestrelErrorHeaders(IApplicationBuilder)"/>, the first middleware); whatever Kestrel writes while none
/// is in flight can only be its own answer. Those bytes are held until Kestrel flushes them, and a response head among
/// them that lacks the security headers gets them inserted before its blank line. Bytes written for requests pass
/// straight through, untouched and uncopied.</para></summary>
public static class KestrelErrorHeaders
{
    /// <summary>Wraps every endpoint's connections (those of --urls and ASPNETCORE_URLS included).</summary>
    public static KestrelServerOptions UseKestrelErrorHeaders(this KestrelServerOptions kestrel)
    {
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            var inFlight = new RequestsInFlight();
            connection.Features.Set(inFlight);
            var transport = connection.Transport;
            connection.Transport = new Duplex(transport.Input, new GuardedWriter(transport.Output, inFlight));
            return next(connection);
        }));
        return kestrel;
    }

    /// <summary>Counts the requests being answered on the connection (run it first, so that only Kestrel's own answers
    /// are written while the count is zero).</summary>
    public static IApplicationBuilder UseKestrelErrorHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Features.Get<RequestsInFlight>() is not { } inFlight) return next(context);
        inFlight.Enter();
        // Fires after the response's last bytes are written and flushed.
        context.Response.OnCompleted(() =>
        {
            inFlight.Leave();
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>The response head with the security headers that are missing from it added (bytes that are not an
    /// HTTP/1.x response head come back as they are).</summary>
    public static byte[] WithSecurityHeaders(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith("HTTP/1."u8)) return bytes.ToArray();
        var end = bytes.IndexOf("\r\n\r\n"u8);
        if (end < 0) return bytes.ToArray();
        var head = Encoding.Latin1.GetString(bytes[..(end + 2)]);
        var add = new StringBuilder();
        foreach (var (name, value) in SecurityHeaders.All)
            if (!head.Contains($"\r\n{name}:", StringComparison.OrdinalIgnoreCase)) add.Append(name).Append(": ").Append(value).Append("\r\n");
        if (add.Length == 0) return bytes.ToArray();
        return [.. bytes[..(end + 2)], .. Encoding.Latin1.GetBytes(add.ToString()), .. bytes[(end + 2)..]];
    }

    /// <summary>The requests of one connection that the app is answering.</summary>
    public sealed class RequestsInFlight
    {
        private int _count;

        public bool Any => Volatile.Read(ref _count) > 0;

        public void Enter() => Interlocked.Increment(ref _count);

        public void Leave() => Interlocked.Decrement(ref _count);
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes the app's bytes through; holds Kestrel's own until they are flushed, then adds the headers.
    /// Kestrel serialises its writes per connection, so a GetMemory/GetSpan and its Advance belong together.</summary>
    private sealed class GuardedWriter(PipeWriter inner, RequestsInFlight inFlight) : PipeWriter
    {
        // Kestrel's own answers are a head and at most a short body; past this, bytes are passed on as they are.
        private const int MaxHeld = 16 * 1024;
        private readonly ArrayBufferWriter<byte> _held = new();
        private bool _holding;

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (Hold()) return _held.GetMemory(sizeHint);
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            if (Hold()) return _held.GetSpan(sizeHint);
            return inner.GetSpan(sizeHint);
        }

        public override void Advance(int bytes)
        {
            if (_holding) _held.Advance(bytes);
            else inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release();
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            Release();
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Release();
            return inner.CompleteAsync(exception);
        }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + _held.WrittenCount;

        /// <summary>Whether the next bytes are Kestrel's own; bytes held from before go out first when they are not,
        /// so the order on the wire never changes.</summary>
        private bool Hold()
        {
            _holding = !inFlight.Any && _held.WrittenCount < MaxHeld;
            if (!_holding) Release();
            return _holding;
        }

        private void Release()
        {
            if (_held.WrittenCount == 0) return;
            inner.Write(WithSecurityHeaders(_held.WrittenSpan));
            _held.ResetWrittenCount();
        }
    }
}
