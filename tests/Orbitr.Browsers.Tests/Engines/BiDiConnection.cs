using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>A WebDriver BiDi error response (<c>{type:'error', error, message}</c>).</summary>
public sealed class BiDiException(string method, string error, string message)
    : Exception($"BiDi {method} failed: {error}: {message}")
{
    public string Error { get; } = error;
}

/// <summary>One WebDriver BiDi WebSocket: commands are matched to their responses by id, events are handed to
/// <see cref="EventReceived"/> on the receive loop.</summary>
public sealed class BiDiConnection : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<long, Pending> _pending = new();
    // ClientWebSocket allows one send at a time.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiveLoop;
    private long _nextId;

    private sealed record Pending(string Method, TaskCompletionSource<JsonElement> Result);

    private BiDiConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Method and params of each event. Runs on the receive loop, so it must not block.</summary>
    public event Action<string, JsonElement>? EventReceived;

    public static async Task<BiDiConnection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new BiDiConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a command and returns its <c>result</c>; throws <see cref="BiDiException"/> on an error
    /// response and <see cref="TimeoutException"/> if none comes within the timeout (60 s by default).</summary>
    public async Task<JsonElement> SendAsync(string method, object parameters, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var pending = new Pending(method, new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending[id] = pending;
        var limit = timeout ?? DefaultTimeout;
        using var timer = new CancellationTokenSource(limit);
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters });
            await _sendLock.WaitAsync(timer.Token);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timer.Token);
            }
            finally
            {
                _sendLock.Release();
            }
            return await pending.Result.Task.WaitAsync(timer.Token);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            throw new TimeoutException($"BiDi {method} got no response in {limit.TotalSeconds:0} s.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception closed = new WebSocketException("The BiDi connection closed.");
        try
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (!_closing.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                    break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                    continue;
                Dispatch(message.GetBuffer().AsSpan(0, (int)message.Length));
                message.SetLength(0);
            }
        }
        catch (Exception ex)
        {
            closed = new WebSocketException("The BiDi connection closed.", ex);
        }
        // Nothing more will answer: fail whatever is still waiting rather than let it time out.
        foreach (var pending in _pending.Values)
            pending.Result.TrySetException(closed);
    }

    private void Dispatch(ReadOnlySpan<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8.ToArray());
        var root = document.RootElement;
        var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "event")
        {
            EventReceived?.Invoke(root.GetProperty("method").GetString() ?? "", root.GetProperty("params").Clone());
            return;
        }
        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number
            || !_pending.TryGetValue(idElement.GetInt64(), out var pending))
            return; // an error for a message it could not read, or a command already timed out
        if (type == "success")
            pending.Result.TrySetResult(root.GetProperty("result").Clone());
        else
            pending.Result.TrySetException(new BiDiException(pending.Method,
                root.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "unknown error",
                root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : Encoding.UTF8.GetString(utf8)));
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        // Abort rather than a close handshake: the browser is about to be killed anyway.
        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
        _sendLock.Dispose();
        _closing.Dispose();
    }
}
