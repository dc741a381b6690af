using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Orbitr.Benchmarks.RenderBenchmarks).Assembly).Run(args);
