// A minimal HTTP service (ASP.NET Core minimal API): replace the endpoints with your own. Kestrel
// listens on all interfaces at ASPNETCORE_HTTP_PORTS, which the Dockerfile sets to 8080;
// compose publishes it on 127.0.0.1 only (C04).
using System.Net;

const int Port = 8080;
const string HealthPath = "/healthz";

// The image's HEALTHCHECK (D12) runs "dotnet App.dll --healthcheck": the app probes its own health
// path and exits 0 or 1, so the image needs no curl (the chiseled image has no shell at all).
if (args.Contains("--healthcheck"))
{
    return await HealthCheckAsync($"http://127.0.0.1:{Port}{HealthPath}");
}

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet(HealthPath, () => Results.Text("ok\n"));
app.MapGet("/", () => Results.Json(new { service = "catalog" }));

// docker stop / nomad stop send SIGTERM: the host stops accepting connections, lets requests in
// flight finish, and returns here.
await app.RunAsync();
return 0;

static async Task<int> HealthCheckAsync(string url)
{
    // No proxy: proxy variables in the environment must never send the loopback probe elsewhere.
    using var handler = new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false };
    using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
    try
    {
        using var response = await http.GetAsync(url);
        return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
    }
    catch (Exception)
    {
        return 1;
    }
}
