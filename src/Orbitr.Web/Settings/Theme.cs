namespace Orbitr.Web.Settings;

/// <summary>The app's colours: dark (the studio look), light, or whatever the system prefers (prefers-color-scheme).</summary>
public enum Theme
{
    Dark,
    Light,
    System,
}
