using Orbitr.Tests.OrbitrProcess;

namespace Orbitr.Hostile.Tests;

/// <summary>One real server process for a test class.</summary>
public sealed class ServerFixture : ServerProcess, IAsyncLifetime
{
    public Task InitializeAsync() => StartAsync();

    public Task DisposeAsync() => StopAsync();
}
