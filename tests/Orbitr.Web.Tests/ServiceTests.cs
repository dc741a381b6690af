using Microsoft.Extensions.DependencyInjection;
using Orbitr.Core.Model;
using Orbitr.Web.Sounds;
using Orbitr.Web.State;

namespace Orbitr.Web.Tests;

/// <summary>The narrow services Studio was split into: work nobody awaits has an error path, and sound assignment is
/// one intent for a ring, a step or the selected steps.</summary>
public class ServiceTests : AppTestContext
{
    private Notices Notices => Services.GetRequiredService<Notices>();

    [Fact]
    public async Task Work_nobody_awaits_that_fails_becomes_an_error_notice_with_its_code()
    {
        var failing = new TaskCompletionSource();
        Notices.Run(() => failing.Task, ErrorCodes.AudioContextFailed, "The edit could not reach the audio");
        Assert.Empty(Notices.Items);
        failing.SetException(new InvalidOperationException("no audio context"));
        await Task.Yield();
        var notice = Assert.Single(Notices.Items);
        Assert.Equal((ErrorCodes.AudioContextFailed, true), (notice.Code, notice.IsError));
        Assert.Equal(["no audio context"], notice.Details);

        // A synchronous throw too; a cancellation is no failure.
        Notices.Run(() => throw new InvalidOperationException("at once"), ErrorCodes.Offline, "Offline");
        Notices.Run(() => Task.FromCanceled(new CancellationToken(true)), ErrorCodes.NetworkTimeout, "Cancelled");
        Assert.Equal([ErrorCodes.AudioContextFailed, ErrorCodes.Offline], Notices.Items.Select(n => n.Code));
    }

    [Fact]
    public void One_assign_gives_a_sound_to_a_ring_a_step_or_the_selected_steps()
    {
        var cowbell = SampleRef.Builtin("cowbell");
        Assert.True(Sounds.Assign(new SoundTarget.Track(2), cowbell));
        Assert.Equal(cowbell, Store.Pattern.FindSample(Store.Pattern.Tracks[2].Sample!));

        Assert.True(Sounds.Assign(new SoundTarget.Step(new StepAddress(1, 3)), cowbell));
        Assert.True(Store.Pattern.Tracks[1].Steps[3].Active); // a sound given to a step is heard
        Assert.Equal([new StepAddress(1, 3)], Store.Selection);

        Store.Select(new StepAddress(0, 1), additive: true);
        Assert.True(Sounds.Assign(SoundTarget.Selection, Sounds.FromMenu("builtin:rim")));
        var rim = Store.Pattern.Tracks[0].Steps[1].Sample;
        Assert.Equal(rim, Store.Pattern.Tracks[1].Steps[3].Sample);
        Assert.True(Sounds.Assign(SoundTarget.Selection, null)); // back to the track's sound
        Assert.Null(Store.Pattern.Tracks[0].Steps[1].Sample);

        Assert.False(Sounds.Assign(new SoundTarget.Track(99), cowbell));
        Assert.False(Sounds.Assign(new SoundTarget.Track(0), Sounds.FromMenu("not a source")));
        Store.ClearSelection();
        Assert.False(Sounds.Assign(SoundTarget.Selection, cowbell));
    }

    [Fact]
    public async Task Start_up_wiring_saves_edits_into_the_library_until_it_is_disposed()
    {
        var startup = Services.GetRequiredService<Startup.AppStartup>();
        var library = Services.GetRequiredService<Patterns.PatternLibrary>();
        await startup.InitializeAsync();
        Assert.True(startup.Ready);
        Store.Dispatch(p => Core.Editing.PatternEditor.ToggleStep(p, 0, 2));
        Assert.Equal(Store.Pattern, library.Entries.Single(e => e.Id == library.CurrentId).Pattern);

        await startup.DisposeAsync(); // every handler it subscribed goes
        var kept = library.Entries.Single(e => e.Id == library.CurrentId).Pattern;
        Store.Dispatch(p => Core.Editing.PatternEditor.ToggleStep(p, 0, 3));
        Assert.Equal(kept, library.Entries.Single(e => e.Id == library.CurrentId).Pattern);
    }
}
