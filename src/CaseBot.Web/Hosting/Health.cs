using CaseBot.Core;
using CaseBot.Core.Indexing;
using CaseBot.Web.WebConsole;

namespace CaseBot.Web.Hosting;

/// <summary>Readiness as the console's status shows it; <c>/readyz</c> itself is the health checks of <see cref="ServiceDefaults"/>.</summary>
public static class Health
{
    internal static bool IsReady(ICaseBot bot, IReadOnlyList<AdapterDto> adapters) =>
        TryStatus(bot) is { Documents: > 0 } && adapters.All(a => a.Connected);

    /// <summary>The index status, or null while there is none (an engine may throw before its first load).</summary>
    internal static IndexStatus? TryStatus(ICaseBot bot)
    {
        try { return bot.Status; }
        catch (Exception ex) when (ex is InvalidOperationException or IOException) { return null; }
    }
}
