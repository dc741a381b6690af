using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>One Xvfb display and one WebKitWebDriver on it. WebKitWebDriver serves a single session at a time.
/// Xvfb is started directly (not through xvfb-run) with <c>-displayfd</c>, so the X server picks a free display
/// itself (no race between two engines picking the same number) and both processes are ours to kill.</summary>
internal sealed class WebKitDriverProcess : IDisposable
{
    private readonly Process xvfb;
    private readonly Process driver;
    private readonly StringBuilder output;

    private WebKitDriverProcess(Process xvfb, Process driver, StringBuilder output, Uri address)
    {
        this.xvfb = xvfb;
        this.driver = driver;
        this.output = output;
        Address = address;
    }

    public Uri Address { get; }

    public bool HasExited => driver.HasExited || xvfb.HasExited;

    public static async Task<WebKitDriverProcess> StartAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var output = new StringBuilder();
        Process? xvfb = null;
        Process? driver = null;
        try
        {
            xvfb = Start("Xvfb", ["-displayfd", "1", "-screen", "0", "1600x1200x24", "-nolisten", "tcp"], null, output, redirectStdout: true);
            var display = await ReadDisplayAsync(xvfb, output, deadline.Token);
            var port = FreePort();
            driver = Start("WebKitWebDriver", [$"--port={port}", "--host=127.0.0.1"], $":{display}", output, redirectStdout: false);
            var address = new Uri($"http://127.0.0.1:{port}/");
            await WaitReadyAsync(driver, address, output, deadline.Token);
            return new WebKitDriverProcess(xvfb, driver, output, address);
        }
        catch (Exception e)
        {
            Kill(driver);
            Kill(xvfb);
            var why = e is OperationCanceledException ? $"did not come up within {timeout.TotalSeconds:0} s" : e.Message;
            throw new InvalidOperationException($"WebKitWebDriver (under Xvfb) {why}. Output:\n{Snapshot(output)}", e);
        }
    }

    public string Output => Snapshot(output);

    /// <summary>Kills the whole tree: WebKitWebDriver's MiniBrowser and its web/network processes are its children.</summary>
    public void Dispose()
    {
        Kill(driver);
        Kill(xvfb);
    }

    private static Process Start(string file, string[] args, string? display, StringBuilder output, bool redirectStdout)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        if (display is not null)
        {
            info.Environment["DISPLAY"] = display;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        process.ErrorDataReceived += (_, e) => Append(output, file, e.Data);
        process.BeginErrorReadLine();
        if (!redirectStdout)
        {
            process.OutputDataReceived += (_, e) => Append(output, file, e.Data);
            process.BeginOutputReadLine();
        }
        return process;
    }

    private static async Task<string> ReadDisplayAsync(Process xvfb, StringBuilder output, CancellationToken cancel)
    {
        // -displayfd 1: Xvfb writes the display number it took on stdout once it accepts connections.
        var line = await xvfb.StandardOutput.ReadLineAsync(cancel);
        if (string.IsNullOrWhiteSpace(line))
        {
            throw new InvalidOperationException("Xvfb exited without reporting a display");
        }
        Append(output, "Xvfb", $"display :{line.Trim()}");
        return line.Trim();
    }

    private static async Task WaitReadyAsync(Process driver, Uri address, StringBuilder output, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            if (driver.HasExited)
            {
                throw new InvalidOperationException($"exited with code {driver.ExitCode}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(address, "status"), cancel);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel));
                    if (status.RootElement.GetProperty("value").GetProperty("ready").GetBoolean())
                    {
                        return;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
                // This probe timed out; the deadline has not.
            }
            await Task.Delay(100, cancel);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string source, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            // Keep the tail only: MiniBrowser can be chatty over a long run.
            if (output.Length > 64_000)
            {
                output.Remove(0, 32_000);
            }
            output.Append(source).Append(": ").AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void Kill(Process? process)
    {
        if (process is null)
        {
            return;
        }
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
    }
}
