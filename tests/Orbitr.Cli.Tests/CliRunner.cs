namespace Orbitr.Cli.Tests;

/// <summary>Runs the CLI in-process in a scratch folder and captures what it prints; <see cref="Stdout"/> holds the
/// bytes a command wrote to standard output (<c>-o -</c>).</summary>
internal sealed class CliRunner : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("orbitr-cli-").FullName;

    public byte[] Stdout { get; private set; } = [];

    public (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        using var stdout = new MemoryStream();
        var code = OrbitrCli.Run(args, o, e, () => stdout);
        Stdout = stdout.ToArray();
        return (code, o.ToString(), e.ToString());
    }

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
