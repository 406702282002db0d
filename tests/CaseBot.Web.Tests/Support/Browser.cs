using Microsoft.Playwright;

namespace CaseBot.Web.Tests.Support;

/// <summary>Debian's Chromium driven by Playwright, headless, with a fresh profile that is deleted afterwards.</summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private Browser(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    public static bool Available => File.Exists(ChromiumPath);

    public static async Task<Browser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var profile = RepoPaths.NewTempFolder("casebot-chromium-profile");
        // Playwright refuses --user-data-dir in Args; a persistent context with a fresh folder is the same thing.
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = 30_000,
            ViewportSize = new ViewportSize { Width = 1100, Height = 900 },
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        context.SetDefaultTimeout(15_000);
        return new Browser(playwright, context, profile);
    }

    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        RepoPaths.DeleteQuietly(_profile);
    }
}
