using Orbitr.Core.Model;
using Orbitr.Dsp.Rendering;

namespace Orbitr.Dsp.Tests;

public class OutputStageTests
{
    private static Audio.AudioBuffer Finish(float[] left, float[] right, LimiterSettings limiter, long keep)
    {
        var sink = new BufferSink(44100, left.Length);
        var stage = new OutputStage(limiter, 44100, keep, sink);
        stage.Write(left, right);
        stage.Complete();
        return sink.ToBuffer();
    }

    [Fact]
    public void Output_is_trimmed_after_the_last_audible_sample_but_never_inside_the_span()
    {
        var left = new float[100];
        var right = new float[100];
        right[70] = 0.01f;
        left[90] = 1e-6f; // below −90 dBFS
        var off = new LimiterSettings(false, -1);
        Assert.Equal(71, Finish(left, right, off, 50).Length);
        Assert.Equal(80, Finish(left, right, off, 80).Length);
        Assert.Equal(50, Finish(new float[100], new float[100], off, 50).Length);
        // With the limiter on, its look-ahead is flushed: the same frames come out, none lost at the end.
        var on = Finish(left, right, new LimiterSettings(true, -1), 50);
        Assert.Equal(71, on.Length);
        Assert.Equal(0.01f, on.Channel(1)[70]);
    }
}
