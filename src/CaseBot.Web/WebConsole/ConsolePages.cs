using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CaseBot.Web.WebConsole;

/// <summary>
/// The console's page, document view, script and style, embedded in the assembly (no npm build, nothing to copy
/// next to the binary). Every page is served with a strict Content-Security-Policy: scripts only from this
/// origin, no inline code, so even text that slipped into the DOM as markup could not run.
/// </summary>
public static class ConsolePages
{
    private const string Csp =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (byte[] Bytes, string ContentType)> Assets = Load();

    public static IEndpointRouteBuilder MapConsolePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Serve("index.html"));
        app.MapGet("/docs/{id}", (string id) => Serve("doc.html"));
        app.MapGet("/assets/{name}", (string name) => Assets.ContainsKey(name) && !name.EndsWith(".html") ? Serve(name) : Results.NotFound());
        return app;
    }

    /// <summary>Headers every response gets; HTML responses also get the CSP.</summary>
    public static IApplicationBuilder UseConsoleSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            h.XFrameOptions = "DENY";
            if (http.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
                h.ContentSecurityPolicy = Csp;
            return Task.CompletedTask;
        });
        await next(http);
    });

    internal static IResult Serve(string name)
    {
        var (bytes, type) = Assets[name];
        return Results.Bytes(bytes, type);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(ConsolePages).Assembly;
        const string prefix = "CaseBot.Web.WebConsole.wwwroot.";
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource[prefix.Length..];
            assets[name] = (copy.ToArray(), ContentType(name));
        }
        return assets;
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
}
