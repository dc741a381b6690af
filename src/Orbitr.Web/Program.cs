using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Orbitr.Web;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.Services.AddOrbitrWeb();
await builder.Build().RunAsync();
