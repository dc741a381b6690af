namespace Orbitr.Dsp;

/// <summary>Audio that cannot be decoded: design error code 1002. The message says what is wrong in one line.</summary>
public sealed class AudioDecodeException(string message) : Exception(message)
{
    public const int ErrorCode = 1002;

    public int Code => ErrorCode;
}
