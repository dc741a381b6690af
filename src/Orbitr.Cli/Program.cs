return Orbitr.Cli.OrbitrCli.Run(args, Console.Out, Console.Error);
