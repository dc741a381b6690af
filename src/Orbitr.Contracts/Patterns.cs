namespace Orbitr.Contracts;

/// <summary>POST /api/patterns → 201: the new pattern, its edit token and version.</summary>
public sealed record SavedPattern(string Id, string EditToken, int Version, string Url);

/// <summary>PUT /api/patterns/{id} → 200: the version now stored.</summary>
public sealed record PatternVersion(string Id, int Version);
