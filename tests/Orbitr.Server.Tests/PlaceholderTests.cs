using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Orbitr.Server.Tests;

public class PlaceholderTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Home_page_says_the_web_app_is_coming_instead_of_failing_silently()
    {
        var response = await factory.CreateClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("arrives with the web app", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_answers_ok()
    {
        var body = await factory.CreateClient().GetStringAsync("/api/health");
        Assert.Contains("\"status\":\"ok\"", body);
    }

    [Fact]
    public async Task Unknown_paths_are_not_found()
    {
        var response = await factory.CreateClient().GetAsync("/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
