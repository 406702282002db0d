namespace CaseBot.Web.Hosting;

/// <summary>
/// <c>casebot serve --healthcheck URL</c>: one GET, exit 0 on 2xx, else 1. The ASP.NET runtime image has neither
/// curl nor wget, so the Dockerfile's HEALTHCHECK runs the app itself in this mode.
/// </summary>
public static class HealthProbe
{
    public const string Switch = "--healthcheck";

    public static async Task<int> RunAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            Console.Error.WriteLine($"{Switch} needs an http(s) URL such as http://127.0.0.1:8080/healthz, not '{url}'.");
            return 2;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"{(int)response.StatusCode} {uri}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"unhealthy: {uri}: {ex.Message}");
            return 1;
        }
    }
}
