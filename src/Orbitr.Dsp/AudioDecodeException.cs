namespace Orbitr.Dsp;

/// <summary>Audio that cannot be decoded: design error code 1002. The message says what is wrong in one line, in the
/// user's terms; a decoder library's own exception, when there was one, is the inner exception (for the log, not the user).</summary>
public sealed class AudioDecodeException : Exception
{
    public const int ErrorCode = 1002;

    public AudioDecodeException(string message) : base(message)
    {
    }

    public AudioDecodeException(string message, Exception inner) : base(message, inner)
    {
    }

    public int Code => ErrorCode;
}
