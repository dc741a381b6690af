namespace Orbitr.Web.State;

/// <summary>One step of one ring, 0-based (the UI names them 1-based: "Track 1 step 1").</summary>
public readonly record struct StepAddress(int Track, int Step);
