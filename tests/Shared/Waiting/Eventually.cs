using System.Collections;
using System.Diagnostics;
using System.Globalization;

namespace Orbitr.Tests.Waiting;

/// <summary>The one way the test suites wait for something to happen: poll a probe every few milliseconds until it
/// says done, and when the time is up FAIL with what was awaited and the last value seen — never return silently,
/// never skip the assertion that follows. A fixed delay is only right where the delay itself is what a test
/// measures (say so in a comment there). Linked into each test project that needs it (tests/Shared/Waiting).</summary>
public static class Eventually
{
    /// <summary>How long to sleep between two probes unless told otherwise.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because, TimeSpan? interval = null) =>
        ValueAsync(() => Task.FromResult(condition()), v => v, timeout, because, interval);

    /// <summary>Waits until the asynchronous <paramref name="condition"/> holds; fails after <paramref name="timeout"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because, TimeSpan? interval = null) =>
        ValueAsync(condition, v => v, timeout, because, interval);

    /// <summary>Reads <paramref name="probe"/> until <paramref name="done"/> accepts its value and returns that value;
    /// fails after <paramref name="timeout"/> naming the last value read.</summary>
    public static Task<T> ValueAsync<T>(Func<T> probe, Func<T, bool> done, TimeSpan timeout, string because, TimeSpan? interval = null) =>
        ValueAsync(() => Task.FromResult(probe()), done, timeout, because, interval);

    /// <summary>Reads the asynchronous <paramref name="probe"/> until <paramref name="done"/> accepts its value and
    /// returns that value; fails after <paramref name="timeout"/> naming the last value read. An exception from the
    /// probe is not swallowed: catch what is expected while waiting (e.g. connection refused) inside the probe.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string because, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var pause = interval ?? DefaultInterval;
        var clock = Stopwatch.StartNew();
        var probes = 0;
        while (true)
        {
            // The last probe runs after the deadline has passed, so a slow probe still gets its final say.
            var late = clock.Elapsed >= timeout;
            var value = await probe();
            probes++;
            if (done(value)) return value;
            if (late)
                throw new Xunit.Sdk.XunitException(
                    $"Waited {Seconds(clock.Elapsed)} (limit {Seconds(timeout)}, {probes} probes) for {because}; last value seen: {Describe(value)}");
            await Task.Delay(pause);
        }
    }

    /// <summary>Retries <paramref name="assertion"/> until it stops throwing an xUnit assertion failure; after
    /// <paramref name="timeout"/> fails with the last failure (and what was awaited).</summary>
    public static async Task AssertAsync(Func<Task> assertion, TimeSpan timeout, string because, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var pause = interval ?? DefaultInterval;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var late = clock.Elapsed >= timeout;
            try
            {
                await assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException failure) when (late)
            {
                throw new Xunit.Sdk.XunitException($"Waited {Seconds(clock.Elapsed)} (limit {Seconds(timeout)}) for {because}; last failure: {failure.Message}", failure);
            }
            catch (Xunit.Sdk.XunitException) { }
            await Task.Delay(pause);
        }
    }

    /// <summary>Retries the synchronous <paramref name="assertion"/>; see the asynchronous overload.</summary>
    public static Task AssertAsync(Action assertion, TimeSpan timeout, string because, TimeSpan? interval = null) =>
        AssertAsync(() => { assertion(); return Task.CompletedTask; }, timeout, because, interval);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0## s", CultureInfo.InvariantCulture);

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Take(20).Select(Describe)) + "]",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
