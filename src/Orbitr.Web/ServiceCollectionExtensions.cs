using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orbitr.Web.Audio;
using Orbitr.Web.Audio.Samples;
using Orbitr.Web.Editing;
using Orbitr.Web.Exporting;
using Orbitr.Web.Files;
using Orbitr.Web.Library;
using Orbitr.Web.Offline;
using Orbitr.Web.Owner;
using Orbitr.Web.Patterns;
using Orbitr.Web.Api;
using Orbitr.Web.Settings;
using Orbitr.Web.Sharing;
using Orbitr.Web.Shortcuts;
using Orbitr.Web.Sounds;
using Orbitr.Web.Startup;
using Orbitr.Web.State;
using Orbitr.Web.Storage;

namespace Orbitr.Web;

public static class ServiceCollectionExtensions
{
    /// <summary>The app's services, one of each per page (scoped = singleton in WebAssembly).</summary>
    public static IServiceCollection AddOrbitrWeb(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        return services
            .AddScoped(_ => new PatternState(StarterPattern.Create()))
            .AddScoped<Notices>()
            .AddScoped<SoundStore>()
            .AddScoped<OfflineUploads>()
            .AddScoped<SampleResolver>()
            .AddScoped<AudioEngine>()
            .AddScoped<PatternPersistence>()
            .AddScoped<PatternLibrary>()
            .AddScoped<PatternSwitching>()
            .AddScoped<Storage.SongPersistence>()
            .AddScoped<Songs.SongLibrary>()
            .AddScoped<Songs.SongPlayer>()
            .AddScoped<PatternFiles>()
            .AddScoped<OwnerSession>()
            .AddScoped<OrbitrApiClient>()
            .AddScoped<GenerationList>()
            .AddScoped<KitGeneration>()
            .AddScoped<SampleShelf>()
            .AddScoped<YourData>()
            .AddScoped<PatternSharing>()
            .AddScoped<AppUpdates>()
            .AddScoped<SettingsStore>()
            // Features, each a narrow service of its own folder (components inject the ones they use).
            .AddScoped<PatternEditing>()
            .AddScoped<SystemClipboard>()
            .AddScoped<StepCopyPaste>()
            .AddScoped<RingCopyPaste>()
            .AddScoped<SoundAssignment>()
            .AddScoped<Pads.PadMode>()
            .AddScoped<Recording.Recorder>()
            .AddScoped<Pads.PadPlayer>()
            .AddScoped<KeyboardShortcuts>()
            .AddScoped<Midi.MidiPorts>()
            .AddScoped<PatternImports>()
            .AddScoped<PatternExport>()
            .AddScoped<SettingsEffects>()
            .AddScoped<AppStartup>()
            // The design system's shared pieces.
            .AddScoped<Components.Controls.ControlsModule>()
            .AddScoped<Components.Controls.MenuState>();
    }
}
