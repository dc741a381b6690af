using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Orbitr.Web;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddOrbitrWeb();
await builder.Build().RunAsync();
