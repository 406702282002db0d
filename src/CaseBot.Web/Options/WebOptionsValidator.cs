using Microsoft.Extensions.Options;

namespace CaseBot.Web.Options;

/// <summary>Start-up checks for <see cref="WebOptions"/>; every message names the setting to fix.</summary>
internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var errors = new List<string>();
        var urls = SplitUrls(options.Urls);
        if (urls.Count == 0)
            errors.Add($"Web:Urls is empty: set Web__Urls to where the console listens, e.g. {WebOptions.DefaultUrls}.");
        foreach (var url in urls)
        {
            // Kestrel accepts the wildcard hosts + and *; Uri does not, so check the rest with a stand-in host.
            var probe = url.Replace("://+", "://localhost").Replace("://*", "://localhost");
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                errors.Add($"Web:Urls has '{url}', which is not an http(s) URL such as http://127.0.0.1:8080 (env Web__Urls).");
        }
        if (options.ReindexEnabled && options.AdminToken!.Trim().Length < MinimumTokenLength)
            errors.Add($"Web:AdminToken is shorter than {MinimumTokenLength} characters: use a long random value " +
                       "(e.g. `openssl rand -hex 32`) in Web__AdminToken, or leave it empty to turn web reindexing off.");
        if (options.ShutdownTimeoutSeconds is < 1 or > 600)
            errors.Add("Web:ShutdownTimeoutSeconds must be between 1 and 600.");
        if (options.MaxQuestionLength is < 10 or > 10_000)
            errors.Add("Web:MaxQuestionLength must be between 10 and 10000.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> SplitUrls(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
