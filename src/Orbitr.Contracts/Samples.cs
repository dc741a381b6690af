namespace Orbitr.Contracts;

/// <summary>A sample in the library (GET /api/samples/{id}, an upload's 201, the items of <see cref="SamplePage"/>).</summary>
public sealed record SampleDto(string Id, string Name, string? Prompt, string Engine, double DurationSeconds, int SampleRate, int Channels,
    float[] Peaks, DateTimeOffset CreatedAt, string Source, string AudioUrl);

/// <summary>GET /api/samples: a page of the caller's library, newest first.</summary>
public sealed record SamplePage(IReadOnlyList<SampleDto> Items, int Page, int PageSize, int Total);
