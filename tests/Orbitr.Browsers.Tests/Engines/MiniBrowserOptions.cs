using OpenQA.Selenium;

namespace Orbitr.Browsers.Tests.Engines;

/// <summary>The capabilities WebKitWebDriver needs to start Debian's MiniBrowser: Selenium has no WebKitGTK options
/// of its own, so the vendor capability is added here. <c>--automation</c> also makes each session ephemeral (its
/// own in-memory website data), which is what gives every page a fresh profile.</summary>
internal sealed class MiniBrowserOptions : DriverOptions
{
    public const string Binary = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

    public MiniBrowserOptions() => BrowserName = "MiniBrowser";

    public override ICapabilities ToCapabilities()
    {
        var capabilities = GenerateDesiredCapabilities(true);
        capabilities.SetCapability("webkitgtk:browserOptions", new Dictionary<string, object>
        {
            ["binary"] = Binary,
            ["args"] = new[] { "--automation" },
        });
        return capabilities.AsReadOnly();
    }
}
