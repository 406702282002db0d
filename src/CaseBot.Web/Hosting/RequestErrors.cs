using CaseBot.Web.WebConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseBot.Web.Hosting;

/// <summary>
/// Requests the host refuses before any endpoint sees them — a body over the limit, a target too long — get a
/// clear 4xx with a short JSON error, logged at debug (anyone on the internet can send them: they are noise, not
/// faults). Endpoints read bodies within <see cref="MaxBodyBytes"/>; reading past it ends here too, never as an
/// unhandled exception.
/// </summary>
public static class RequestErrors
{
    /// <summary>The console posts nothing big; platform events are a few KB.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Longest path plus query string answered; Kestrel's own request-line limit is set above this so that
    /// anything between gets this JSON refusal instead of Kestrel's empty 414.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>Kestrel's request-line limit (method, target, version): above <see cref="MaxTargetLength"/>.</summary>
    public const int KestrelMaxRequestLine = 32 * 1024; // = Kestrel's default MaxRequestHeadersTotalSize

    public static IApplicationBuilder UseRequestErrors(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestErrors).FullName!);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            var target = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
            if (target > MaxTargetLength)
            {
                await RefuseAsync(context, log, StatusCodes.Status414UriTooLong,
                    $"The address is too long ({target} characters; at most {MaxTargetLength}).").ConfigureAwait(false);
                return;
            }
            if (request.ContentLength > MaxBodyBytes)
            {
                await RefuseAsync(context, log, StatusCodes.Status413PayloadTooLarge,
                    $"The request body is too large ({request.ContentLength} bytes; at most {MaxBodyBytes}).").ConfigureAwait(false);
                return;
            }
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                // A chunked body that runs past the limit, a malformed body, a client that stopped sending.
                var message = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? $"The request body is too large (at most {MaxBodyBytes} bytes)."
                    : "The request could not be read.";
                await RefuseAsync(context, log, e.StatusCode, message).ConfigureAwait(false);
            }
        });
    }

    private static async Task RefuseAsync(HttpContext context, ILogger log, int status, string message)
    {
        log.LogDebug("Refused {Method} {Path} with {Status}: {Message}", context.Request.Method, context.Request.Path, status, message);
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status413PayloadTooLarge) context.Response.Headers.Connection = "close";
        await context.Response.WriteAsJsonAsync(new ErrorDto(message)).ConfigureAwait(false);
    }
}
