namespace Orbitr.Core.Errors;

/// <summary>The error codes of ARCHITECTURE §6: the one table every part uses (server problem details, the browser's
/// notices, the CLI's messages). Families: 1xxx audio, 2xxx generation, 3xxx network and requests, 4xxx storage and
/// access. The design's twelve codes keep their numbers; the codes it lacked are added in the fitting family and marked
/// "(added)". docs/architecture.md lists each with the HTTP statuses it comes with.</summary>
public static class ErrorCode
{
    // 1xxx audio
    public const int AudioContextFailed = 1001;
    public const int AudioDecodeFailed = 1002;
    public const int AudioBufferOverflow = 1003;
    /// <summary>(added) An upload that is not a form with an audio file in it.</summary>
    public const int UnsupportedAudio = 1004;

    // 2xxx generation
    public const int GenerationTimeout = 2001;
    public const int InvalidPrompt = 2002;
    public const int GenerationQuotaExceeded = 2003;
    /// <summary>(added) The engine asked for is not available on this server (not configured, or its model did not load).</summary>
    public const int EngineUnavailable = 2004;
    /// <summary>(added) The engine failed while making the sound.</summary>
    public const int GenerationFailed = 2005;

    // 3xxx network and requests
    public const int Offline = 3001;
    public const int NetworkTimeout = 3002;
    public const int RateLimited = 3003;
    /// <summary>(added) The request (body, URL or headers) is larger than the server accepts.</summary>
    public const int RequestTooLarge = 3004;
    /// <summary>(added) The request is malformed: not JSON, not valid Unicode, a bad query value, a wrong method.</summary>
    public const int InvalidRequest = 3005;
    /// <summary>(added) The body's Content-Type is not one the endpoint takes.</summary>
    public const int UnsupportedMediaType = 3006;
    /// <summary>(added) Something failed on the server; nothing about the request was wrong.</summary>
    public const int ServerError = 3007;

    // 4xxx storage and access
    public const int StorageQuotaExceeded = 4001;
    public const int StoredDataCorrupted = 4002;
    public const int StoragePermissionDenied = 4003;
    /// <summary>(added) No such thing (or not in your library), or no such API route.</summary>
    public const int NotFound = 4004;
    /// <summary>(added) It exists but is not yours to change.</summary>
    public const int Forbidden = 4005;
    /// <summary>(added) An owner token is required, or the one sent is unknown.</summary>
    public const int Unauthenticated = 4006;
    /// <summary>(added) If-Match is missing, malformed, or names no current version.</summary>
    public const int PreconditionFailed = 4007;
    /// <summary>(added) A pattern body that is not a valid pattern (errors by JSON path) or not an encrypted share.</summary>
    public const int InvalidPattern = 4008;
    /// <summary>(added) The pattern is end-to-end encrypted, so the server cannot read (render) it.</summary>
    public const int EncryptedPattern = 4009;

    /// <summary>Every code with its short title, in order.</summary>
    public static IReadOnlyList<(int Code, string Title)> All { get; } =
    [
        (AudioContextFailed, "Audio context failed"),
        (AudioDecodeFailed, "Audio decode failed"),
        (AudioBufferOverflow, "Audio buffer overflow"),
        (UnsupportedAudio, "Unsupported audio upload"),
        (GenerationTimeout, "Generation timeout"),
        (InvalidPrompt, "Invalid prompt"),
        (GenerationQuotaExceeded, "Generation quota exceeded"),
        (EngineUnavailable, "Engine unavailable"),
        (GenerationFailed, "Generation failed"),
        (Offline, "Offline"),
        (NetworkTimeout, "Network timeout"),
        (RateLimited, "Rate limited"),
        (RequestTooLarge, "Request too large"),
        (InvalidRequest, "Invalid request"),
        (UnsupportedMediaType, "Unsupported media type"),
        (ServerError, "Server error"),
        (StorageQuotaExceeded, "Storage quota exceeded"),
        (StoredDataCorrupted, "Stored data corrupted"),
        (StoragePermissionDenied, "Storage permission denied"),
        (NotFound, "Not found"),
        (Forbidden, "Not yours"),
        (Unauthenticated, "Owner token required"),
        (PreconditionFailed, "Precondition failed"),
        (InvalidPattern, "Invalid pattern"),
        (EncryptedPattern, "Encrypted pattern"),
    ];

    /// <summary>The short title of a code (null when the code is not in the table).</summary>
    public static string? TitleOf(int code)
    {
        foreach (var (c, title) in All)
            if (c == code) return title;
        return null;
    }

    /// <summary>The code for a problem that has none of its own, by its HTTP status (status-code pages, the exception
    /// handler, framework-made problems).</summary>
    public static int ForStatus(int status) => status switch
    {
        401 => Unauthenticated,
        403 => Forbidden,
        404 => NotFound,
        408 => NetworkTimeout,
        412 or 428 => PreconditionFailed,
        413 or 414 or 431 => RequestTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => Offline,
        >= 500 => ServerError,
        _ => InvalidRequest,
    };
}
