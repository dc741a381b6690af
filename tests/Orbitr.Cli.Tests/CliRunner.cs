namespace Orbitr.Cli.Tests;

/// <summary>Runs the CLI in-process in a scratch folder and captures what it prints.</summary>
internal sealed class CliRunner : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("orbitr-cli-").FullName;

    public (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = OrbitrCli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
