namespace Orbitr.Web.Components.Controls;

/// <summary>Which top-bar menu is open: at most one, so opening Export closes Share.</summary>
public sealed class MenuState
{
    public string? Open { get; private set; }

    public event Action? Changed;

    public void Show(string? id)
    {
        if (Open == id) return;
        Open = id;
        Changed?.Invoke();
    }

    public void Hide(string id)
    {
        if (Open == id) Show(null);
    }
}
