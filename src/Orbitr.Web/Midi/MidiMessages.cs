namespace Orbitr.Web.Midi;

// Interop messages with midi.js: classes with settable properties (trimming drops a record constructor's parameter
// names, and System.Text.Json could not bind it in the published app).

/// <summary>A MIDI port as the browser names it.</summary>
public sealed class MidiPort
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class RingPort
{
    public int Channel { get; set; }
    public int Note { get; set; }
}

public sealed class PortList
{
    public MidiPort[] Outputs { get; set; } = [];
    public MidiPort[] Inputs { get; set; } = [];
}

public sealed class OpenResult
{
    public bool Ok { get; set; }
    public string? Reason { get; set; }
    public MidiPort[] Outputs { get; set; } = [];
    public MidiPort[] Inputs { get; set; } = [];
}
